/// Why the pipeline could not start or answer; each names the file or device and what was wrong.
public enum PipelineError: Error, Equatable, CustomStringConvertible {
    /// The question needs a Whisper model that was not loaded.
    case recognizerMissing(model: String)
    /// A kiosk configuration line is wrong.
    case invalidConfiguration(path: String, line: Int, reason: String)
    /// A kiosk configuration file cannot be read.
    case unreadableConfiguration(path: String, reason: String)

    public var description: String {
        switch self {
        case .recognizerMissing(let model):
            "the Whisper model '\(model)' is not loaded: run `tutor models fetch` and `tutor models convert`"
        case .invalidConfiguration(let path, let line, let reason):
            "\(path):\(line): \(reason)"
        case .unreadableConfiguration(let path, let reason):
            "\(path): cannot read the configuration: \(reason)"
        }
    }
}
