import Foundation
import Testing
import TutorCore

@testable import Audio

@Suite struct SoundFileChunkTests {
    @Test func chunksJoinedAreTheWholeFileMixedToMonoAndReadingCanStopEarly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chunks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("stereo.flac")
        let frames = 10_500
        let samples = (0..<frames * 2).map { Float(sin(Double($0) * 0.01) * 0.5) }
        try SoundFile.write(InterleavedAudio(samples: samples, sampleRateHz: 22_050, channelCount: 2), to: url)

        var joined: [Float] = []
        var sizes: [Int] = []
        try SoundFile.forEachMonoChunk(url, chunkFrames: 4_000) { chunk in
            #expect(chunk.sampleRateHz == 22_050)
            joined += chunk.samples
            sizes.append(chunk.samples.count)
            return true
        }
        #expect(sizes == [4_000, 4_000, 2_500])
        #expect(joined == (try SoundFile.read(url).mixedToMono().samples))

        var calls = 0
        try SoundFile.forEachMonoChunk(url, chunkFrames: 4_000) { _ in
            calls += 1
            return false
        }
        #expect(calls == 1)
        #expect(throws: SoundFileError.fileNotFound(path: folder.path + "/missing.flac")) {
            try SoundFile.forEachMonoChunk(folder.appendingPathComponent("missing.flac")) { _ in true }
        }
    }
}
