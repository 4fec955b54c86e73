import Foundation

/// One lesson in the library.
public struct Lesson: Sendable, Equatable {
    /// Where a lesson is in its life.
    public enum State: String, Sendable, CaseIterable {
        /// Being recorded, or the recording stopped before it was finished (killed, disk full): its audio is kept
        /// and `tutor lesson index` trims, transcribes and indexes it.
        case recording
        /// Trimmed, transcribed (when recorded) and indexed: ready to play.
        case ready
    }

    /// How the audio came to be.
    public enum Source: String, Sendable, CaseIterable {
        /// Recorded by a teacher from the microphone.
        case recorded
        /// Rendered by the voice from a lesson script.
        case rendered
    }

    /// The title, also naming the files.
    public var title: LessonTitle
    /// The language spoken, a code (`en`, `sw`).
    public var language: String
    /// The audio file's name inside the library folder.
    public var audioFile: String
    /// The sidecar transcript's name inside the library folder, once transcribed.
    public var transcriptFile: String?
    /// Length of the audio in seconds (0 until finished).
    public var seconds: Double
    /// Curriculum topic ids the lesson is about, most central first.
    public var topics: [String]
    public var state: State
    public var source: Source

    /// A lesson whose files are named after its title.
    public init(title: LessonTitle, language: String, source: Source, state: State = .recording) {
        self.title = title
        self.language = language
        self.audioFile = title.fileStem + ".flac"
        self.transcriptFile = nil
        self.seconds = 0
        self.topics = []
        self.state = state
        self.source = source
    }

    /// The transcript's file name for this lesson's title.
    public var defaultTranscriptFile: String { title.fileStem + ".transcript.tsv" }
}

/// The library's list of lessons: a plain text file, `lessons.txt`, that teachers may read and edit.
///
/// Format (version 1). `#` starts a comment line; blank lines are ignored. Each lesson is a `lesson TITLE` line
/// followed by its fields, indented, one `key value` per line:
///
///     # VoiceTutor lesson library, version 1
///     lesson Magnets and compasses
///         language en
///         audio magnets-and-compasses.flac
///         transcript magnets-and-compasses.transcript.tsv
///         seconds 312.48
///         topics magnets compass
///         state ready
///         source recorded
///
/// `language`, `audio` and `state` are required; `transcript`, `seconds` (default 0), `topics` (space-separated
/// topic ids, default none) and `source` (default `recorded`) are optional. `state` is `recording` (unfinished: the
/// audio is kept, `tutor lesson index` finishes it) or `ready`. File names are plain names inside the library
/// folder. Unknown keys, repeated keys, repeated titles and bad values are errors naming the file and line.
public struct LessonManifest: Sendable, Equatable {
    /// The manifest's file name inside the library folder.
    public static let fileName = "lessons.txt"

    /// The lessons in the order they were added.
    public var lessons: [Lesson] = []

    /// An empty manifest.
    public init(lessons: [Lesson] = []) { self.lessons = lessons }

    /// The lesson with this title (case-insensitive), if any.
    public func lesson(titled title: LessonTitle) -> Lesson? { lessons.first { $0.title == title } }

    /// Adds a lesson or replaces the one with its title; refuses a different title that shares its audio file.
    public mutating func upsert(_ lesson: Lesson) throws {
        if let clash = lessons.first(where: { $0.audioFile == lesson.audioFile && $0.title != lesson.title }) {
            throw LessonError.titleClash(
                title: lesson.title.text, existing: clash.title.text, file: lesson.audioFile)
        }
        if let index = lessons.firstIndex(where: { $0.title == lesson.title }) {
            lessons[index] = lesson
        } else {
            lessons.append(lesson)
        }
    }

    /// Removes the lesson with this title; returns it, or nil when there was none.
    @discardableResult
    public mutating func remove(titled title: LessonTitle) -> Lesson? {
        guard let index = lessons.firstIndex(where: { $0.title == title }) else { return nil }
        return lessons.remove(at: index)
    }

    /// The manifest as text, in the documented format.
    public var text: String {
        var lines = ["# VoiceTutor lesson library, version 1 (format: `tutor lesson --help`, Lessons/README.md)"]
        for lesson in lessons {
            lines.append("lesson \(lesson.title.text)")
            lines.append("    language \(lesson.language)")
            lines.append("    audio \(lesson.audioFile)")
            if let transcript = lesson.transcriptFile { lines.append("    transcript \(transcript)") }
            lines.append("    seconds \(String(format: "%.2f", lesson.seconds))")
            if !lesson.topics.isEmpty { lines.append("    topics \(lesson.topics.joined(separator: " "))") }
            lines.append("    state \(lesson.state.rawValue)")
            lines.append("    source \(lesson.source.rawValue)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses a manifest; `path` names the file in errors.
    public init(text: String, path: String) throws {
        var lessons: [Lesson] = []
        var current: (lesson: Lesson, line: Int, keys: Set<String>)?

        func finish() throws {
            guard let (lesson, line, keys) = current else { return }
            for required in ["language", "audio", "state"] where !keys.contains(required) {
                throw LessonError.invalidLine(
                    path: path, line: line, reason: "lesson \"\(lesson.title.text)\" has no '\(required)' line")
            }
            if let earlier = lessons.first(where: { $0.title == lesson.title }) {
                throw LessonError.invalidLine(
                    path: path, line: line, reason: "the title \"\(earlier.title.text)\" is used twice")
            }
            if let earlier = lessons.first(where: { $0.audioFile == lesson.audioFile }) {
                throw LessonError.invalidLine(
                    path: path, line: line,
                    reason: "audio \(lesson.audioFile) already belongs to lesson \"\(earlier.title.text)\"")
            }
            lessons.append(lesson)
            current = nil
        }

        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            func fail(_ reason: String) -> LessonError {
                .invalidLine(path: path, line: lineNumber, reason: reason)
            }
            let indented = line.first == " " || line.first == "\t"
            let key = trimmed.prefix { !$0.isWhitespace }
            let value = trimmed.dropFirst(key.count).trimmingCharacters(in: .whitespaces)
            if !indented {
                guard key == "lesson" else {
                    throw fail("expected 'lesson TITLE' to start a lesson, found '\(key)'")
                }
                try finish()
                let title: LessonTitle
                do {
                    title = try LessonTitle(value)
                } catch {
                    throw fail("\(error)")
                }
                current = (Lesson(title: title, language: "", source: .recorded), lineNumber, [])
                continue
            }
            guard let open = current else { throw fail("an indented field before any 'lesson TITLE' line") }
            var (lesson, keys) = (open.lesson, open.keys)
            guard !keys.contains(String(key)) else { throw fail("'\(key)' is given twice for this lesson") }
            keys.insert(String(key))
            guard !value.isEmpty else { throw fail("'\(key)' has no value") }
            switch key {
            case "language":
                guard value.allSatisfy({ $0.isASCII && $0.isLowercase }), (2...3).contains(value.count) else {
                    throw fail("language '\(value)' is not a language code such as en or sw")
                }
                lesson.language = value
            case "audio", "transcript":
                guard !value.contains("/"), !value.contains("\\"), !value.hasPrefix(".") else {
                    throw fail("\(key) '\(value)' must be a plain file name inside the library folder")
                }
                if key == "audio" { lesson.audioFile = value } else { lesson.transcriptFile = value }
            case "seconds":
                guard let seconds = Double(value), seconds >= 0, seconds.isFinite else {
                    throw fail("seconds '\(value)' is not a non-negative number")
                }
                lesson.seconds = seconds
            case "topics":
                let topics = value.split(whereSeparator: \.isWhitespace).map(String.init)
                if let bad = topics.first(where: { !$0.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" } }) {
                    throw fail("topic '\(bad)' is not a topic id (lower-case letters, digits and '-')")
                }
                lesson.topics = topics
            case "state":
                guard let state = Lesson.State(rawValue: value) else {
                    throw fail("state '\(value)' is not one of \(Lesson.State.allCases.map(\.rawValue))")
                }
                lesson.state = state
            case "source":
                guard let source = Lesson.Source(rawValue: value) else {
                    throw fail("source '\(value)' is not one of \(Lesson.Source.allCases.map(\.rawValue))")
                }
                lesson.source = source
            default:
                throw fail(
                    "unknown field '\(key)'; expected language, audio, transcript, seconds, topics, state or source")
            }
            current = (lesson, open.line, keys)
        }
        try finish()
        self.lessons = lessons
    }
}
