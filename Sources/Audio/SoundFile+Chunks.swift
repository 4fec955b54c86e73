import CSndFile
import Foundation
import TutorCore

extension SoundFile {
    /// Reads a file piece by piece, mixed to mono at its own rate, for files too long to hold whole (a lesson of
    /// half an hour is 115 MB as Float samples): memory stays at one chunk whatever the length.
    ///
    ///     try SoundFile.forEachMonoChunk(lessonURL) { chunk in speaker.play(chunk) }
    ///
    /// - Parameters:
    ///   - chunkFrames: frames per chunk; nil reads as `read` does (16,384 frames).
    ///   - body: gets each chunk in order; returns false to stop reading.
    public static func forEachMonoChunk(
        _ url: URL, chunkFrames: Int? = nil, _ body: (MonoAudio) throws -> Bool
    ) throws {
        let path = url.path
        let (file, info) = try openForReading(path)
        defer { sf_close(file) }
        let channelCount = Int(info.channels)
        let frames = max(1, chunkFrames ?? readChunkFrames)
        var chunk = [Float](repeating: 0, count: frames * channelCount)
        while true {
            let framesRead = chunk.withUnsafeMutableBufferPointer { buffer in
                sf_readf_float(file, buffer.baseAddress, Int64(frames))
            }
            if framesRead <= 0 { break }
            let audio = InterleavedAudio(
                samples: Array(chunk[0..<(Int(framesRead) * channelCount)]), sampleRateHz: Int(info.samplerate),
                channelCount: channelCount)
            guard try body(audio.mixedToMono()) else { return }
        }
        if sf_error(file) != Int32(SF_ERR_NO_ERROR) {
            throw SoundFileError.readFailed(path: path, reason: String(cString: sf_strerror(file)))
        }
    }
}
