/// What went wrong with a lesson title, the library's manifest, a transcript or a lesson script.
public enum LessonError: Error, Equatable, CustomStringConvertible {
    /// A title that cannot name a lesson file (empty, path characters, a hidden or parent name, too long).
    case invalidTitle(title: String, reason: String)
    /// A line of a text file (manifest, transcript, script) that does not follow its format.
    case invalidLine(path: String, line: Int, reason: String)
    /// No lesson has this title.
    case unknownLesson(title: String, library: String)
    /// Two titles would share one audio file.
    case titleClash(title: String, existing: String, file: String)
    /// A file of the library could not be read or written.
    case fileFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidTitle(let title, let reason):
            return "lesson title \"\(title)\" \(reason)"
        case .invalidLine(let path, let line, let reason):
            return "\(path):\(line): \(reason)"
        case .unknownLesson(let title, let library):
            return "no lesson titled \"\(title)\" in \(library) (see `tutor lesson list`)"
        case .titleClash(let title, let existing, let file):
            return "lesson title \"\(title)\" would be stored as \(file), which lesson \"\(existing)\" already uses"
        case .fileFailed(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}
