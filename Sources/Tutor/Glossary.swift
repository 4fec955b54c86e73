import Foundation

/// A multilingual physics glossary: concepts with their words in each language, and common mishearings.
///
/// Read from `Lexicons/<lang>/glossary` (format in `Lexicons/GLOSSARY.md`). Retrieval uses it both ways: a question and
/// a topic that name the same concept in different words (`pull of the earth`, `gravity`) share a concept token,
/// and a misheard phrase (`gravy tea`) also stands for the phrase it was heard for (`gravity`).
public struct Glossary: Sendable, Equatable {
    /// One concept: an id and its forms (words or phrases) per language code.
    public struct Concept: Sendable, Equatable {
        /// The concept id (`gravity`), lower case words joined by `-`.
        public var id: String
        /// Forms per language code, in file order.
        public var forms: [String: [String]]
        /// Where the concept was (first) defined, `path:line`.
        public var source: String
    }

    /// A phrase a recognizer hears instead of another in one language (`blew` for `blue`).
    public struct Mishearing: Sendable, Equatable {
        /// The language code.
        public var language: String
        /// What the recognizer writes.
        public var heard: String
        /// What the child most likely said.
        public var meant: String
    }

    /// Words that make a question about something dangerous, with the topic whose safety message must come first.
    public struct Danger: Sendable, Equatable {
        /// The language code.
        public var language: String
        /// The topic whose `safety:` line is said first (`mains-safety`).
        public var topic: String
        /// Words or phrases that signal the danger (`socket`, `look at the sun`).
        public var forms: [String]
        /// Where it was defined, `path:line`.
        public var source: String
    }

    /// Concepts by id; a concept defined in several files has the union of their forms.
    public var concepts: [String: Concept]
    /// Every mishearing, in file order.
    public var mishearings: [Mishearing]
    /// Every danger line, in file order.
    public var dangers: [Danger]

    /// Creates a glossary from concepts, mishearings and danger lines.
    public init(concepts: [Concept] = [], mishearings: [Mishearing] = [], dangers: [Danger] = []) {
        self.concepts = [:]
        self.mishearings = mishearings
        self.dangers = dangers
        for concept in concepts { merge(concept) }
    }

    /// An empty glossary: retrieval then relies on stems and fuzzy matching alone.
    public static let empty = Glossary()

    /// Adds a concept, joining its forms with those of a concept of the same id.
    public mutating func merge(_ concept: Concept) {
        guard var existing = concepts[concept.id] else {
            concepts[concept.id] = concept
            return
        }
        for (language, forms) in concept.forms {
            let known = existing.forms[language] ?? []
            existing.forms[language] = known + forms.filter { !known.contains($0) }
        }
        concepts[concept.id] = existing
    }

    /// Adds every concept and mishearing of another glossary.
    public mutating func merge(_ other: Glossary) {
        for id in other.concepts.keys.sorted() { merge(other.concepts[id]!) }
        mishearings += other.mishearings
        dangers += other.dangers
    }

    /// The concepts with forms in `language`, sorted by id.
    public func concepts(in language: String) -> [Concept] {
        concepts.values.filter { $0.forms[language]?.isEmpty == false }.sorted { $0.id < $1.id }
    }
}

/// One problem in a glossary file, at the line to fix: `Lexicons/en/glossary:12: unknown keyword 'concpet' ...`.
public struct GlossaryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: Sendable, Equatable {
        /// The file could not be read or is not UTF-8.
        case unreadable(reason: String)
        /// A line that is not a comment, blank, `concept ID: ...`, `heard PHRASE: PHRASE` or `danger TOPIC: ...`.
        case malformedLine(found: String)
        /// The first word of a line is not a keyword of the format.
        case unknownKeyword(String, expected: [String])
        /// A concept id that is not lower case words joined by `-`.
        case badConceptID(String)
        /// A language code that the curriculum does not know.
        case unknownLanguage(String, expected: [String])
        /// A language section with no forms, or an empty form between commas.
        case emptyForm(language: String)
        /// A language given twice in one concept line.
        case repeatedLanguage(String)
        /// A concept defined twice in one file; `firstLine` is the first definition.
        case repeatedConcept(String, firstLine: Int)
        /// A concept line in `Lexicons/<lang>/glossary` with no forms in `<lang>`.
        case missingFileLanguage(String)
    }

    /// The file, as given to the parser (`Lexicons/en/glossary`).
    public var path: String
    /// The 1-based line number.
    public var line: Int
    /// What is wrong.
    public var kind: Kind

    /// Creates an error at a file and line.
    public init(path: String, line: Int, kind: Kind) {
        self.path = path
        self.line = line
        self.kind = kind
    }

    /// `path:line: message`, as compilers print it.
    public var description: String { "\(path):\(line): \(message)" }

    /// The message without the location.
    public var message: String {
        switch kind {
        case .unreadable(let reason):
            return "cannot read: \(reason)"
        case .malformedLine(let found):
            return "expected 'concept ID: LANG form, ... | LANG form', 'heard PHRASE: PHRASE' "
                + "or 'danger TOPIC: form, ...'; found '\(found)'"
        case .unknownKeyword(let word, let expected):
            return "unknown keyword '\(word)' (expected one of: \(expected.joined(separator: ", ")))"
        case .badConceptID(let id):
            return "concept id '\(id)' must be lower case letters, digits and '-'"
        case .unknownLanguage(let code, let expected):
            return "unknown language '\(code)' (expected one of: \(expected.joined(separator: ", ")))"
        case .emptyForm(let language):
            return "empty form in the '\(language)' section"
        case .repeatedLanguage(let code):
            return "language '\(code)' given twice on one line"
        case .repeatedConcept(let id, let firstLine):
            return "concept '\(id)' already defined on line \(firstLine)"
        case .missingFileLanguage(let code):
            return "no '\(code)' forms, but this is the '\(code)' glossary"
        }
    }
}

/// Every error found in the glossary files, so they can all be fixed in one go.
public struct GlossaryLoadFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The errors, in file and line order.
    public var errors: [GlossaryError]

    /// Creates a failure from the errors found.
    public init(errors: [GlossaryError]) { self.errors = errors }

    /// One error per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Parses glossary files strictly: unknown keywords and languages are errors with file:line, never warnings.
public enum GlossaryParser {
    /// The keywords a line may start with.
    public static let keywords = ["concept", "heard", "danger"]

    /// Parses the text of `Lexicons/<language>/glossary`; `path` is used in messages.
    public static func parse(_ text: String, path: String, language: String) throws -> Glossary {
        var errors: [GlossaryError] = []
        var concepts: [Glossary.Concept] = []
        var mishearings: [Glossary.Mishearing] = []
        var dangers: [Glossary.Danger] = []
        var firstLines: [String: Int] = [:]
        let languages = CurriculumLoader.languageCodes
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            func fail(_ kind: GlossaryError.Kind) { errors.append(GlossaryError(path: path, line: number, kind: kind)) }
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                fail(.malformedLine(found: line))
                continue
            }
            let head = line[..<colon].split(separator: " ", omittingEmptySubsequences: true)
            let body = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard let keyword = head.first.map(String.init), head.count >= 2, !body.isEmpty else {
                fail(.malformedLine(found: line))
                continue
            }
            switch keyword {
            case "concept":
                guard head.count == 2 else {
                    fail(.malformedLine(found: line))
                    continue
                }
                let id = String(head[1])
                guard id.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }), id.first != "-" else {
                    fail(.badConceptID(id))
                    continue
                }
                var forms: [String: [String]] = [:]
                var valid = true
                for section in body.split(separator: "|", omittingEmptySubsequences: false) {
                    let trimmed = section.trimmingCharacters(in: .whitespaces)
                    let code = String(trimmed.prefix { $0 != " " })
                    guard languages.contains(code) else {
                        fail(.unknownLanguage(code, expected: languages))
                        valid = false
                        continue
                    }
                    guard forms[code] == nil else {
                        fail(.repeatedLanguage(code))
                        valid = false
                        continue
                    }
                    let list = trimmed.dropFirst(code.count).split(separator: ",", omittingEmptySubsequences: false)
                        .map { $0.trimmingCharacters(in: .whitespaces) }
                    guard !list.contains(where: \.isEmpty) else {
                        fail(.emptyForm(language: code))
                        valid = false
                        continue
                    }
                    forms[code] = list
                }
                guard valid else { continue }
                guard forms[language] != nil else {
                    fail(.missingFileLanguage(language))
                    continue
                }
                if let first = firstLines[id] {
                    fail(.repeatedConcept(id, firstLine: first))
                    continue
                }
                firstLines[id] = number
                concepts.append(Glossary.Concept(id: id, forms: forms, source: "\(path):\(number)"))
            case "danger":
                guard head.count == 2 else {
                    fail(.malformedLine(found: line))
                    continue
                }
                let forms = body.split(separator: ",", omittingEmptySubsequences: false)
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                guard !forms.contains(where: \.isEmpty) else {
                    fail(.emptyForm(language: language))
                    continue
                }
                let source = "\(path):\(number)"
                let topic = String(head[1])
                dangers.append(Glossary.Danger(language: language, topic: topic, forms: forms, source: source))
            case "heard":
                let heard = head.dropFirst().joined(separator: " ")
                mishearings.append(Glossary.Mishearing(language: language, heard: heard, meant: body))
            default:
                fail(.unknownKeyword(keyword, expected: keywords))
            }
        }
        guard errors.isEmpty else { throw GlossaryLoadFailure(errors: errors) }
        return Glossary(concepts: concepts, mishearings: mishearings, dangers: dangers)
    }

    /// Reads every `Lexicons/<lang>/glossary` that exists for `languages`, reporting all files' errors at once.
    public static func load(lexiconsFolder: URL, languages: [String]) throws -> Glossary {
        var glossary = Glossary()
        var errors: [GlossaryError] = []
        for language in languages {
            let url = lexiconsFolder.appendingPathComponent(language).appendingPathComponent("glossary")
            let path = "Lexicons/\(language)/glossary"
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            do {
                let text = try String(contentsOf: url, encoding: .utf8)
                glossary.merge(try parse(text, path: path, language: language))
            } catch let failure as GlossaryLoadFailure {
                errors += failure.errors
            } catch {
                errors.append(GlossaryError(path: path, line: 1, kind: .unreadable(reason: "\(error)")))
            }
        }
        guard errors.isEmpty else { throw GlossaryLoadFailure(errors: errors) }
        return glossary
    }
}
