import CSndFile
import Foundation
import TutorCore

/// A format we write: both hold 16-bit PCM, so what goes in comes back within half a 16-bit step.
public enum SoundFileFormat: String, Sendable, CaseIterable {
    /// RIFF WAVE, 16-bit PCM.
    case wav
    /// FLAC, 16-bit, lossless; about half the size of WAV for speech.
    case flac

    /// The format a file name's extension asks for (case-insensitive), or nil for an extension we do not write.
    public init?(fileExtension: String) {
        self.init(rawValue: fileExtension.lowercased())
    }

    /// libsndfile's major format and subtype for this format.
    var libsndfileFormat: Int32 {
        switch self {
        case .wav: return Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
        case .flac: return Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
        }
    }
}

/// Reads and writes whole sound files through libsndfile.
///
///     let question = try SoundFile.readSpeech(URL(fileURLWithPath: "Samples/sky-blue.flac"))
///     try SoundFile.write(question, to: URL(fileURLWithPath: "/tmp/question.wav"))
///
/// For recordings that must survive a crash, use `SoundFileWriter`.
public enum SoundFile {
    /// Frames asked of libsndfile per read call; large enough to amortise the call, small enough to stay in cache.
    static let readChunkFrames = 16_384

    /// Reads any file libsndfile understands (WAV, FLAC, OGG/Vorbis, AIFF, ...) at its own rate and channel count.
    ///
    /// Integer samples come back scaled by 1/32768 (16-bit) and so on, so full scale is [-1, 1).
    public static func read(_ url: URL) throws -> InterleavedAudio {
        let path = url.path
        let (file, info) = try openForReading(path)
        defer { sf_close(file) }
        let channelCount = Int(info.channels)

        // A FLAC file whose writer never finished reports SF_COUNT_MAX frames ("unknown"), and a truncated WAV may
        // claim more than it holds, so the frame count is only a hint: read in chunks until libsndfile runs dry.
        var samples: [Float] = []
        if info.frames > 0 && info.frames < Int64(Int32.max) {
            samples.reserveCapacity(Int(info.frames) * channelCount)
        }
        var chunk = [Float](repeating: 0, count: readChunkFrames * channelCount)
        while true {
            let framesRead = chunk.withUnsafeMutableBufferPointer { buffer in
                sf_readf_float(file, buffer.baseAddress, Int64(readChunkFrames))
            }
            if framesRead <= 0 { break }
            samples.append(contentsOf: chunk[0..<(Int(framesRead) * channelCount)])
        }
        if sf_error(file) != Int32(SF_ERR_NO_ERROR) {
            throw SoundFileError.readFailed(path: path, reason: String(cString: sf_strerror(file)))
        }
        return InterleavedAudio(samples: samples, sampleRateHz: Int(info.samplerate), channelCount: channelCount)
    }

    /// Reads a file as the recognizer wants it: mono (channels averaged), resampled to `speechSampleRateHz`.
    public static func readSpeech(_ url: URL) throws -> MonoAudio {
        let mono = try read(url).mixedToMono()
        return Resampler.resample(mono, to: speechSampleRateHz)
    }

    /// Writes mono audio as 16-bit PCM; the format comes from the extension (.wav, .flac) unless given.
    public static func write(_ audio: MonoAudio, to url: URL, format: SoundFileFormat? = nil) throws {
        try write(
            InterleavedAudio(samples: audio.samples, sampleRateHz: audio.sampleRateHz, channelCount: 1),
            to: url, format: format)
    }

    /// Writes interleaved audio as 16-bit PCM; the format comes from the extension (.wav, .flac) unless given.
    public static func write(_ audio: InterleavedAudio, to url: URL, format: SoundFileFormat? = nil) throws {
        // A whole file written at once needs no periodic syncs: close() syncs once at the end.
        let writer = try SoundFileWriter(
            url: url, sampleRateHz: audio.sampleRateHz, channelCount: audio.channelCount, format: format,
            syncIntervalFrames: nil)
        try writer.append(audio.samples)
        try writer.close()
    }

    /// Opens a file for reading, checked: a positive rate and at least one channel. The caller closes it.
    static func openForReading(_ path: String) throws -> (file: OpaquePointer, info: SF_INFO) {
        try checkReadable(path)
        var info = SF_INFO()
        guard let file = sf_open(path, Int32(SFM_READ), &info) else {
            throw SoundFileError.cannotOpen(path: path, reason: String(cString: sf_strerror(nil)))
        }
        guard info.channels > 0 else {
            sf_close(file)
            throw SoundFileError.noChannels(path: path)
        }
        guard info.samplerate > 0 else {
            sf_close(file)
            throw SoundFileError.invalidSampleRate(path: path, found: Int(info.samplerate))
        }
        return (file, info)
    }

    /// Turns libsndfile's vaguest answers ("Format not recognised.") into clearer ones where we can tell why.
    private static func checkReadable(_ path: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT { throw SoundFileError.fileNotFound(path: path) }
            throw SoundFileError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        if (status.st_mode & S_IFMT) == S_IFREG && status.st_size == 0 {
            throw SoundFileError.emptyFile(path: path)
        }
    }
}
