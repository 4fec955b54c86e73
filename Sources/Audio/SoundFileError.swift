/// Why a sound file could not be read or written; every case names the file.
///
/// The description reads as one line a teacher can act on, e.g.
/// `Samples/x.wav: cannot open sound file: File contains data in an unknown format.`
public enum SoundFileError: Error, Equatable, CustomStringConvertible {
    /// Nothing exists at the path.
    case fileNotFound(path: String)
    /// The file exists but holds no bytes, so it cannot be a sound file.
    case emptyFile(path: String)
    /// libsndfile refused to open the file for reading; `reason` is its `sf_strerror` text.
    case cannotOpen(path: String, reason: String)
    /// libsndfile refused to create the file; `reason` is its `sf_strerror` text.
    case cannotCreate(path: String, reason: String)
    /// Reading stopped with an error part way through; `reason` is libsndfile's text.
    case readFailed(path: String, reason: String)
    /// Writing or syncing failed (disk full, file removed); `reason` is libsndfile's or the system's text.
    case writeFailed(path: String, reason: String)
    /// The file name's extension names no format we write, and no format was given.
    case unsupportedExtension(path: String, fileExtension: String)
    /// A sound file (or a request to write one) with no channels.
    case noChannels(path: String)
    /// A sample rate that is zero or negative.
    case invalidSampleRate(path: String, found: Int)
    /// Interleaved samples whose count is not a whole number of frames.
    case partialFrame(path: String, sampleCount: Int, channelCount: Int)

    /// One line: the path, what went wrong, and what was expected or what libsndfile said.
    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file, expected a sound file"
        case .emptyFile(let path):
            return "\(path): the file is empty (0 bytes), expected a sound file"
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open sound file: \(reason)"
        case .cannotCreate(let path, let reason):
            return "\(path): cannot create sound file: \(reason)"
        case .readFailed(let path, let reason):
            return "\(path): reading the sound file failed: \(reason)"
        case .writeFailed(let path, let reason):
            return "\(path): writing the sound file failed: \(reason)"
        case .unsupportedExtension(let path, let fileExtension):
            let found = fileExtension.isEmpty ? "no extension" : "'.\(fileExtension)'"
            let expected = SoundFileFormat.allCases.map { ".\($0.rawValue)" }.joined(separator: " or ")
            return "\(path): cannot tell the sound format from \(found), expected \(expected)"
        case .noChannels(let path):
            return "\(path): the audio has 0 channels, expected at least 1"
        case .invalidSampleRate(let path, let found):
            return "\(path): the sample rate is \(found) Hz, expected a positive rate"
        case .partialFrame(let path, let sampleCount, let channelCount):
            return "\(path): \(sampleCount) samples is not a whole number of \(channelCount)-channel frames"
        }
    }
}
