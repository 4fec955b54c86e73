import Foundation

/// How a piece of a lesson script is spoken.
public enum LessonSpeechStyle: String, Sendable, CaseIterable {
    /// Ordinary sentences.
    case plain
    /// A `#` or `##` heading: a little slower, set off by pauses.
    case heading
    /// `*words*`: slower, with a wider pitch range.
    case emphasis
    /// Inside `[slow]` ... `[/slow]`: at three quarters of the rate.
    case slow
    /// A `?` line: a question to the class (a pause for the children to think follows it).
    case question
}

/// One thing a lesson script says or waits for.
public enum LessonScriptPart: Sendable, Equatable {
    /// Text to speak in a style.
    case speech(String, LessonSpeechStyle)
    /// Silence, in seconds.
    case pause(seconds: Double)
}

/// A part with the script line it came from (1-based), for progress and errors.
public struct LessonScriptItem: Sendable, Equatable {
    public var part: LessonScriptPart
    public var line: Int

    /// Creates an item.
    public init(_ part: LessonScriptPart, line: Int) {
        self.part = part
        self.line = line
    }
}

/// Pauses the markup implies, in seconds.
public struct LessonScriptOptions: Sendable, Equatable {
    /// Silence after a heading (and before one that is not the first thing).
    public var headingPauseSeconds = 1.0
    /// Silence between paragraphs (a blank line).
    public var paragraphPauseSeconds = 0.8
    /// Silence after a question to the class when its line gives none: time for the children to think.
    public var questionPauseSeconds = 5.0
    /// The longest `[pause ...]` allowed; longer ones are typing mistakes (`[pause 500s]` for 500 ms).
    public var maximumPauseSeconds = 120.0

    public init() {}
    /// The defaults above.
    public static let `default` = LessonScriptOptions()
}

/// A written lesson in VoiceTutor's small markup, parsed into speech and pauses (format: Lessons/README.md).
///
///     # Magnets                      a heading: spoken a little slower, with pauses around it
///     ## What magnets pull           a subheading: the same
///     Magnets pull *iron* nails.     plain text; *words* are emphasised; a blank line is a paragraph pause
///     [pause 2s]                     silence: 2s, 1.5s or 500ms, on its own line or inside a sentence
///     [slow]                         the lines up to [/slow] are spoken at three quarters of the rate
///     [/slow]
///     ? What does a magnet pull?     a question to the class, then 5 s to think (or end it with [pause 8s])
///     - a list item                  spoken as its own sentence
///     % a note for the teacher       a comment, not spoken
///
/// Anything else that looks like markup (`###`, `**`, `_`, backquotes, `<`, `>`, `{`, `}`, `|`, unknown `[tags]`,
/// an unclosed `*` or `[slow]`) is an error naming the line, so a typing mistake is never read out loud. Pauses
/// next to each other do not add up: the longest wins.
public struct LessonScript: Sendable, Equatable {
    /// What to say and when to wait, in order.
    public var items: [LessonScriptItem]

    /// Characters that mean markup in other languages and have no meaning here.
    static let foreignMarkup: Set<Character> = ["_", "`", "<", ">", "{", "}", "|"]

    /// Parses a script; `path` names the file in errors.
    public init(text: String, path: String, options: LessonScriptOptions = .default) throws {
        var builder = Builder(path: path, options: options)
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            try builder.take(String(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine), line: offset + 1)
        }
        try builder.finish()
        self.items = builder.items
    }

    /// The number of characters to be spoken: the unit of a render's progress.
    public var spokenCharacterCount: Int {
        items.reduce(0) { total, item in
            if case .speech(let text, _) = item.part { return total + text.count }
            return total
        }
    }

    /// Reads and parses a script file.
    public static func load(_ url: URL, options: LessonScriptOptions = .default) throws -> LessonScript {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw LessonError.fileFailed(path: url.path, reason: "cannot read it as UTF-8 text")
        }
        return try LessonScript(text: text, path: url.path, options: options)
    }

    /// The line-by-line state of parsing.
    private struct Builder {
        let path: String
        let options: LessonScriptOptions
        var items: [LessonScriptItem] = []
        /// Text gathered for one style until the style changes or a pause comes.
        var pending: (text: String, style: LessonSpeechStyle, line: Int)?
        /// The line of an open `[slow]`.
        var slowSince: Int?

        init(path: String, options: LessonScriptOptions) {
            self.path = path
            self.options = options
        }

        func error(_ line: Int, _ reason: String) -> LessonError {
            .invalidLine(path: path, line: line, reason: reason)
        }

        var bodyStyle: LessonSpeechStyle { slowSince == nil ? .plain : .slow }

        mutating func take(_ raw: String, line: Int) throws {
            let text = raw.trimmingCharacters(in: .whitespaces)
            if text.isEmpty {
                pause(options.paragraphPauseSeconds, line: line)
                return
            }
            if text.hasPrefix("%") { return }
            if text.hasPrefix("#") {
                let level = text.prefix { $0 == "#" }.count
                guard level <= 2 else { throw error(line, "only '#' and '##' headings are part of the markup") }
                let heading = text.dropFirst(level)
                guard heading.first == " " else {
                    throw error(line, "write a heading as '\(text.prefix(level)) Title'")
                }
                if !items.isEmpty || pending != nil { pause(options.headingPauseSeconds, line: line) }
                try inline(String(heading), style: .heading, line: line)
                pause(options.headingPauseSeconds, line: line)
                return
            }
            if text.lowercased() == "[slow]" {
                if let slowSince { throw error(line, "[slow] inside the [slow] opened on line \(slowSince)") }
                flush()
                slowSince = line
                return
            }
            if text.lowercased() == "[/slow]" {
                guard slowSince != nil else { throw error(line, "[/slow] without a [slow] before it") }
                flush()
                slowSince = nil
                return
            }
            if text.hasPrefix("?") {
                let question = text.dropFirst().trimmingCharacters(in: .whitespaces)
                guard !question.isEmpty else { throw error(line, "'?' starts a question to the class; none follows") }
                flush()
                let before = items.count
                try inline(question, style: .question, line: line)
                flush()
                // A question that ends in its own [pause ...] keeps it; otherwise the children get the default.
                if items.count == before || !isPause(items.last) { pause(options.questionPauseSeconds, line: line) }
                return
            }
            if text.hasPrefix("- ") || text.hasPrefix("* ") {
                flush()
                try inline(String(text.dropFirst(2)), style: bodyStyle, line: line)
                flush()
                return
            }
            try inline(text, style: bodyStyle, line: line)
        }

        mutating func finish() throws {
            if let slowSince { throw error(slowSince, "[slow] is never closed with [/slow]") }
            flush()
            while isPause(items.last) { items.removeLast() }
        }

        func isPause(_ item: LessonScriptItem?) -> Bool {
            if case .pause = item?.part { return true }
            return false
        }

        /// Text with `*emphasis*` and `[pause ...]` inside it.
        mutating func inline(_ text: String, style: LessonSpeechStyle, line: Int) throws {
            var characters = Substring(text)
            var emphasised = false
            var run = ""
            func say(_ run: inout String, _ style: LessonSpeechStyle, _ builder: inout Builder) {
                let words = run.trimmingCharacters(in: .whitespaces)
                if !words.isEmpty { builder.append(words, style: style, line: line) }
                run = ""
            }
            while let character = characters.first {
                characters = characters.dropFirst()
                switch character {
                case "*":
                    if characters.first == "*" {
                        throw error(line, "'**' is not part of the markup; use *word* for emphasis")
                    }
                    say(&run, emphasised ? .emphasis : style, &self)
                    emphasised.toggle()
                case "[":
                    guard let close = characters.firstIndex(of: "]") else {
                        throw error(line, "'[' is not closed with ']' on this line")
                    }
                    let tag = characters[..<close].trimmingCharacters(in: .whitespaces)
                    characters = characters[characters.index(after: close)...]
                    let seconds = try pauseSeconds(tag, line: line)
                    say(&run, emphasised ? .emphasis : style, &self)
                    pause(seconds, line: line)
                case "]":
                    throw error(line, "']' without a '[' before it")
                default:
                    if LessonScript.foreignMarkup.contains(character) {
                        throw error(line, "'\(character)' is not part of the lesson markup (see Lessons/README.md)")
                    }
                    run.append(character)
                }
            }
            if emphasised { throw error(line, "'*' opens emphasis that is not closed on the same line") }
            say(&run, style, &self)
        }

        /// `pause 2s`, `pause 1.5s`, `pause 500ms`.
        func pauseSeconds(_ tag: String, line: Int) throws -> Double {
            let words = tag.split(separator: " ")
            guard words.first?.lowercased() == "pause" else {
                if ["slow", "/slow"].contains(tag.lowercased()) {
                    throw error(line, "[\(tag)] goes on a line of its own")
                }
                throw error(line, "unknown markup [\(tag)]; known: [pause 2s], [slow], [/slow]")
            }
            guard words.count == 2 else { throw error(line, "write a pause as [pause 2s] or [pause 500ms]") }
            let amount = words[1].lowercased()
            let seconds: Double?
            if amount.hasSuffix("ms") {
                seconds = Double(amount.dropLast(2)).map { $0 / 1000 }
            } else if amount.hasSuffix("s") {
                seconds = Double(amount.dropLast())
            } else {
                throw error(line, "pause '\(words[1])' needs a unit: s or ms ([pause 2s], [pause 500ms])")
            }
            guard let seconds, seconds > 0, seconds.isFinite else {
                throw error(line, "pause '\(words[1])' is not a positive duration")
            }
            guard seconds <= options.maximumPauseSeconds else {
                throw error(line, "pause of \(words[1]) is longer than \(Int(options.maximumPauseSeconds)) s")
            }
            return seconds
        }

        mutating func append(_ text: String, style: LessonSpeechStyle, line: Int) {
            if let current = pending, current.style == style {
                pending = (current.text + " " + text, style, current.line)
                return
            }
            flush()
            pending = (text, style, line)
        }

        mutating func flush() {
            guard let current = pending else { return }
            items.append(LessonScriptItem(.speech(current.text, current.style), line: current.line))
            pending = nil
        }

        /// A pause; next to another pause the longer one wins; nothing waits before the first words.
        mutating func pause(_ seconds: Double, line: Int) {
            flush()
            guard !items.isEmpty else { return }
            if case .pause(let previous) = items.last?.part {
                items[items.count - 1].part = .pause(seconds: max(previous, seconds))
                return
            }
            items.append(LessonScriptItem(.pause(seconds: seconds), line: line))
        }
    }
}
