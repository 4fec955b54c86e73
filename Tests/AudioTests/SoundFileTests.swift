import CSndFile
import Foundation
import Testing
import TutorCore

@testable import Audio

@Suite("Sound files")
struct SoundFileTests {
    /// One step of a 16-bit sample in our [-1, 1) scale.
    static let sixteenBitStep: Float = 1 / 32_768

    @Test(arguments: ["wav", "flac"])
    func roundTripsMonoWithinOneSixteenBitStep(fileExtension: String) throws {
        let folder = try TemporaryDirectory()
        let url = folder.file("speech.\(fileExtension)")
        let audio = MonoAudio(samples: TestSignals.noise(count: 16_000, amplitude: 0.9, seed: 11), sampleRateHz: 16_000)
        try SoundFile.write(audio, to: url)
        let read = try SoundFile.read(url)
        #expect(read.sampleRateHz == 16_000)
        #expect(read.channelCount == 1)
        #expect(read.samples.count == audio.samples.count)
        #expect(TestSignals.maximumDifference(read.samples, audio.samples) <= Self.sixteenBitStep)
    }

    @Test(arguments: ["wav", "flac"])
    func roundTripsStereoThroughTheStreamingWriter(fileExtension: String) throws {
        let folder = try TemporaryDirectory()
        let url = folder.file("lesson.\(fileExtension)")
        // 1.4 s: long enough for the writer to sync (and patch FLAC's header) twice before closing.
        let samples = TestSignals.noise(count: 2 * 30_000, amplitude: 0.7, seed: 5)
        let writer = try SoundFileWriter(url: url, sampleRateHz: 22_050, channelCount: 2)
        for start in stride(from: 0, to: samples.count, by: 882) {
            try writer.append(Array(samples[start..<min(start + 882, samples.count)]))
        }
        #expect(writer.framesWritten == 30_000)
        #expect(writer.framesSynced > 10_000 && writer.framesSynced < 30_000)
        try writer.close()
        #expect(writer.framesSynced == 30_000)
        let read = try SoundFile.read(url)
        #expect(read.sampleRateHz == 22_050 && read.channelCount == 2 && read.samples.count == samples.count)
        #expect(TestSignals.maximumDifference(read.samples, samples) <= Self.sixteenBitStep)
    }

    @Test(arguments: ["wav", "flac"])
    func writesAnEmptyRecordingAsAReadableFile(fileExtension: String) throws {
        let folder = try TemporaryDirectory()
        let url = folder.file("silence.\(fileExtension)")
        try SoundFile.write(MonoAudio(samples: [], sampleRateHz: 16_000), to: url)
        let read = try SoundFile.read(url)
        #expect(read.sampleRateHz == 16_000 && read.samples.isEmpty)
    }

    @Test func clipsValuesBeyondFullScaleInsteadOfWrappingThem() throws {
        let folder = try TemporaryDirectory()
        let url = folder.file("loud.wav")
        try SoundFile.write(MonoAudio(samples: [1.5, -1.5, 1, -1, .nan], sampleRateHz: 8_000), to: url)
        let read = try SoundFile.read(url)
        #expect(read.samples == [32_767 / 32_768, -1, 32_767 / 32_768, -1, 0])
    }

    @Test func readsOggVorbisWrittenByLibsndfile() throws {
        let folder = try TemporaryDirectory()
        let url = folder.file("tone.ogg")
        let tone = TestSignals.sine(frequencyHz: 440, sampleRateHz: 44_100, count: 44_100)
        var info = SF_INFO()
        info.samplerate = 44_100
        info.channels = 1
        info.format = Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS)
        let file = try #require(sf_open(url.path, Int32(SFM_WRITE), &info))
        #expect(tone.withUnsafeBufferPointer { sf_write_float(file, $0.baseAddress, Int64($0.count)) } == 44_100)
        sf_close(file)

        let read = try SoundFile.read(url)
        #expect(read.sampleRateHz == 44_100 && read.channelCount == 1)
        #expect(abs(read.samples.count - tone.count) < 2_048)
        // Vorbis is lossy: ask only that the tone is there at about its level.
        let level = TestSignals.decibels(TestSignals.rms(read.samples[4_000..<40_000]) / TestSignals.rms(tone))
        #expect(abs(level) < 0.5, "level \(level) dB")
    }

    @Test func takesTheFormatFromAnUppercaseExtension() throws {
        let folder = try TemporaryDirectory()
        let url = folder.file("SHOUT.FLAC")
        try SoundFile.write(MonoAudio(samples: [0.5, -0.5], sampleRateHz: 16_000), to: url)
        let magic = try Data(contentsOf: url).prefix(4)
        #expect(magic == Data("fLaC".utf8))
    }

    @Test func writesTheFormatAskedForWhateverTheExtension() throws {
        let folder = try TemporaryDirectory()
        let url = folder.file("recording.raw")
        try SoundFile.write(MonoAudio(samples: [0.5, -0.5], sampleRateHz: 16_000), to: url, format: .wav)
        #expect(try Data(contentsOf: url).prefix(4) == Data("RIFF".utf8))
    }

    @Test func namesThePathOfAMissingFile() throws {
        let path = "/nonexistent/Samples/x.wav"
        let error = try #require(throws: SoundFileError.self) { try SoundFile.read(URL(fileURLWithPath: path)) }
        #expect(error == .fileNotFound(path: path))
        #expect(error.description == "/nonexistent/Samples/x.wav: no such file, expected a sound file")
    }

    @Test func namesThePathOfAnEmptyFile() throws {
        let folder = try TemporaryDirectory()
        let url = folder.file("empty.wav")
        try Data().write(to: url)
        let error = try #require(throws: SoundFileError.self) { try SoundFile.read(url) }
        #expect(error.description == "\(url.path): the file is empty (0 bytes), expected a sound file")
    }

    @Test func namesThePathAndLibsndfilesReasonForGarbage() throws {
        let folder = try TemporaryDirectory()
        let url = folder.file("garbage.wav")
        var generator = SplitMix64(seed: 9)
        try Data((0..<1_000).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: url)
        let error = try #require(throws: SoundFileError.self) { try SoundFile.readSpeech(url) }
        guard case .cannotOpen(let path, let reason) = error else {
            Issue.record("expected cannotOpen, got \(error)")
            return
        }
        #expect(path == url.path)
        #expect(!reason.isEmpty)
        #expect(error.description.hasPrefix("\(url.path): cannot open sound file: "))
    }

    @Test func refusesToGuessTheFormatOfAnUnknownExtension() throws {
        let folder = try TemporaryDirectory()
        let url = folder.file("answer.mp3")
        let error = try #require(throws: SoundFileError.self) {
            try SoundFile.write(MonoAudio(samples: [0], sampleRateHz: 16_000), to: url)
        }
        #expect(error.description == "\(url.path): cannot tell the sound format from '.mp3', expected .wav or .flac")
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test func refusesAWriterWithNoChannels() throws {
        let folder = try TemporaryDirectory()
        let url = folder.file("nothing.wav")
        let error = try #require(throws: SoundFileError.self) {
            try SoundFileWriter(url: url, sampleRateHz: 16_000, channelCount: 0)
        }
        #expect(error.description == "\(url.path): the audio has 0 channels, expected at least 1")
    }

    @Test func refusesAWriterWithoutAPositiveSampleRate() throws {
        let folder = try TemporaryDirectory()
        let url = folder.file("timeless.flac")
        let error = try #require(throws: SoundFileError.self) {
            try SoundFileWriter(url: url, sampleRateHz: 0, channelCount: 1)
        }
        #expect(error.description == "\(url.path): the sample rate is 0 Hz, expected a positive rate")
    }

    @Test func refusesSamplesThatAreNotWholeFrames() throws {
        let folder = try TemporaryDirectory()
        let writer = try SoundFileWriter(url: folder.file("stereo.wav"), sampleRateHz: 16_000, channelCount: 2)
        #expect(throws: SoundFileError.self) { try writer.append([0.1, 0.2, 0.3]) }
        #expect(writer.framesWritten == 0)
    }

    @Test func namesThePathWhenTheFolderDoesNotExist() throws {
        let path = "/nonexistent/recordings/today.flac"
        let error = try #require(throws: SoundFileError.self) {
            try SoundFileWriter(url: URL(fileURLWithPath: path), sampleRateHz: 16_000, channelCount: 1)
        }
        #expect(error.description.hasPrefix("\(path): cannot create sound file: "))
    }
}
