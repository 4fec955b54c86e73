import Foundation

/// Reads `Curriculum/` strictly and validates every file, collecting all errors rather than stopping at the first.
///
/// The format is documented in `Curriculum/README.md`. Missing files are not errors here (the curriculum is written
/// in halves); `Curriculum.coverage(languages:)` reports them.
public struct CurriculumLoader: Sendable {
    /// The language codes a curriculum folder may hold: English and Swahili for every topic, the rest for core topics
    /// (`TutorLanguage.all`).
    public static let languageCodes = TutorLanguage.codes
    /// The only accepted `review:` value while a translation waits for a native speaker.
    public static let reviewPending = "awaiting review by a native speaker"
    /// Every key of the format, in the order a file usually gives them.
    public static let keys = [
        "topic", "language", "title", "ask", "misheard", "answer", "why", "more", "simpler", "experiment", "term",
        "misconception", "safety", "related", "review", "quiz",
    ]
    /// Keys that may appear at most once.
    static let onceKeys: Set<String> = [
        "topic", "language", "title", "answer", "why", "more", "simpler", "experiment", "safety", "review",
    ]
    /// Keys every file must give.
    static let requiredKeys = [
        "topic", "language", "title", "answer", "why", "more", "simpler", "experiment",
    ]

    /// The curriculum folder (the one holding `topics.tsv` and a folder per language).
    public var root: URL

    /// Creates a loader for a curriculum folder.
    public init(root: URL) {
        self.root = root
    }

    /// Loads every topic, or throws every error found in `topics.tsv` and every topic file.
    public func load() throws(CurriculumLoadFailure) -> Curriculum {
        let (curriculum, errors) = loadCollectingErrors()
        if !errors.isEmpty {
            throw CurriculumLoadFailure(errors: errors)
        }
        return curriculum
    }

    /// Loads what is valid and returns it with every error found; a file with errors contributes no topic.
    public func loadCollectingErrors() -> (Curriculum, [CurriculumError]) {
        var errors: [CurriculumError] = []
        let listing = readTopicList(errors: &errors)
        let knownIDs = Set(listing.map(\.id))
        var topics: [CurriculumTopic] = []
        let fileManager = FileManager.default
        let folders = (try? fileManager.contentsOfDirectory(atPath: root.path)) ?? []
        for folder in folders.sorted() {
            var isDirectory: ObjCBool = false
            let folderURL = root.appendingPathComponent(folder, isDirectory: true)
            guard fileManager.fileExists(atPath: folderURL.path, isDirectory: &isDirectory), isDirectory.boolValue,
                !folder.hasPrefix(".")
            else { continue }
            guard Self.languageCodes.contains(folder) else {
                errors.append(
                    CurriculumError(
                        path: displayPath(folder), line: 1,
                        kind: .unknownLanguage(folder, expected: Self.languageCodes)))
                continue
            }
            let files = (try? fileManager.contentsOfDirectory(atPath: folderURL.path)) ?? []
            for file in files.sorted() where file.hasSuffix(".txt") {
                let path = displayPath("\(folder)/\(file)")
                let data: Data
                do {
                    data = try Data(contentsOf: folderURL.appendingPathComponent(file))
                } catch {
                    errors.append(CurriculumError(path: path, line: 1, kind: .unreadable(reason: "\(error)")))
                    continue
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    errors.append(CurriculumError(path: path, line: 1, kind: .unreadable(reason: "not UTF-8 text")))
                    continue
                }
                let result = Self.parseTopic(
                    text: text, path: path, fileID: String(file.dropLast(".txt".count)), folderLanguage: folder,
                    knownIDs: knownIDs)
                errors += result.errors
                if let topic = result.topic {
                    topics.append(topic)
                }
            }
        }
        return (Curriculum(listing: listing, topics: topics), errors)
    }

    /// `Curriculum/<relative>`, named after the root folder, so messages point at the file in the repository.
    private func displayPath(_ relative: String) -> String {
        "\(root.lastPathComponent)/\(relative)"
    }

    private func readTopicList(errors: inout [CurriculumError]) -> [CurriculumTopicListing] {
        let path = displayPath("topics.tsv")
        guard let data = try? Data(contentsOf: root.appendingPathComponent("topics.tsv")),
            let text = String(data: data, encoding: .utf8)
        else {
            errors.append(CurriculumError(path: path, line: 1, kind: .unreadable(reason: "missing or not UTF-8")))
            return []
        }
        return Self.parseTopicList(text: text, path: path, errors: &errors)
    }

    /// Parses `topics.tsv`: `id <TAB> area <TAB> title` per line, `#` comments and blank lines ignored.
    static func parseTopicList(
        text: String, path: String, errors: inout [CurriculumError]
    ) -> [CurriculumTopicListing] {
        var listing: [CurriculumTopicListing] = []
        var seen: [String: Int] = [:]
        for (index, rawLine) in lines(of: text).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let columns = rawLine.split(separator: "\t", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard columns.count == 3, !columns.contains(where: \.isEmpty) else {
                errors.append(
                    CurriculumError(
                        path: path, line: index + 1,
                        kind: .malformedTopicList(reason: "expected 3 tab-separated columns, found \(columns.count)")))
                continue
            }
            if let first = seen[columns[0]] {
                errors.append(
                    CurriculumError(
                        path: path, line: index + 1,
                        kind: .malformedTopicList(reason: "id '\(columns[0])' already listed on line \(first)")))
                continue
            }
            seen[columns[0]] = index + 1
            listing.append(CurriculumTopicListing(id: columns[0], area: columns[1], title: columns[2]))
        }
        return listing
    }

    /// Splits text into lines, accepting `\n` or `\r\n` endings and a leading byte-order mark.
    static func lines(of text: String) -> [String] {
        // "\r\n" is one Character in Swift, so split on unicode scalars, not Characters.
        var scalars = Substring(text).unicodeScalars
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        return scalars.split(separator: "\n", omittingEmptySubsequences: false).map {
            String(String.UnicodeScalarView($0.last == "\r" ? $0.dropLast() : $0[...]))
        }
    }

    /// One `key: value` entry, with its continuation lines already joined.
    struct Entry {
        var key: String
        var value: String
        var line: Int
    }

    /// Parses and validates one topic file; returns the topic only when the file has no errors.
    ///
    /// - Parameters:
    ///   - path: the path shown in messages.
    ///   - fileID: the file name without `.txt`, which `topic:` must equal.
    ///   - folderLanguage: the folder name, which `language:` must equal.
    ///   - knownIDs: the ids listed in `topics.tsv`.
    public static func parseTopic(
        text: String, path: String, fileID: String, folderLanguage: String, knownIDs: Set<String>
    ) -> (topic: CurriculumTopic?, errors: [CurriculumError]) {
        var errors: [CurriculumError] = []
        func fail(_ line: Int, _ kind: CurriculumError.Kind) {
            errors.append(CurriculumError(path: path, line: line, kind: kind))
        }

        // Pass 1: lines into entries. An entry stays open for continuations until the next key line.
        var entries: [Entry] = []
        var canContinue = false
        for (index, line) in lines(of: text).enumerated() {
            let number = index + 1
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("    ") {
                let piece = line.trimmingCharacters(in: .whitespaces)
                if canContinue, let last = entries.indices.last {
                    entries[last].value += entries[last].value.isEmpty ? piece : " " + piece
                } else {
                    fail(number, .continuationWithoutKey)
                }
                continue
            }
            guard let colon = line.firstIndex(of: ":"), line.first?.isWhitespace == false else {
                fail(number, .malformedLine(found: line))
                canContinue = false
                continue
            }
            let key = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard keys.contains(key) else {
                fail(number, .unknownKey(key, expected: keys))
                // Continuations of an unknown key belong to it (a placeholder, dropped below), not to the entry before.
                entries.append(Entry(key: "", value: "", line: number))
                canContinue = true
                continue
            }
            entries.append(Entry(key: key, value: value, line: number))
            canContinue = true
        }
        entries.removeAll { $0.key.isEmpty }

        // Pass 2: keys, counts and values.
        var firstLine: [String: Int] = [:]
        var once: [String: Entry] = [:]
        var many: [String: [Entry]] = [:]
        for entry in entries {
            if entry.value.isEmpty {
                fail(entry.line, .emptyValue(key: entry.key))
            }
            if onceKeys.contains(entry.key) {
                if let first = firstLine[entry.key] {
                    fail(entry.line, .repeatedKey(entry.key, firstLine: first))
                    continue
                }
                firstLine[entry.key] = entry.line
                once[entry.key] = entry
            } else {
                many[entry.key, default: []].append(entry)
            }
        }
        for key in requiredKeys where once[key] == nil {
            fail(1, .missingKey(key))
        }

        let counts: [(key: String, range: ClosedRange<Int>)] = [
            ("ask", 4...Int.max),
            ("misheard", folderLanguage == "en" ? 1...Int.max : 0...Int.max),
            ("term", 2...5),
            ("misconception", 1...Int.max),
        ]
        for (key, range) in counts {
            let given = many[key] ?? []
            guard !range.contains(given.count) else { continue }
            // Too many: point at the first line over the limit; too few: at the last one given, or the file start.
            let line = given.count > range.upperBound ? given[range.upperBound].line : (given.last?.line ?? 1)
            fail(line, .wrongCount(key: key, found: given.count, expected: range))
        }

        if let topic = once["topic"], !topic.value.isEmpty {
            if topic.value != fileID {
                fail(topic.line, .topicDoesNotMatchFileName(found: topic.value, expected: fileID))
            }
            if !knownIDs.contains(topic.value) {
                fail(topic.line, .unknownTopic(topic.value))
            }
        }
        if !knownIDs.contains(fileID), once["topic"]?.value != fileID {
            fail(1, .unknownTopic(fileID))
        }
        if let language = once["language"], !language.value.isEmpty, language.value != folderLanguage {
            fail(language.line, .languageDoesNotMatchFolder(found: language.value, expected: folderLanguage))
        }
        if let answer = once["answer"] {
            let lowered = answer.value.lowercased()
            for term in many["term"] ?? [] where !term.value.isEmpty && !lowered.contains(term.value.lowercased()) {
                fail(term.line, .termNotInAnswer(term.value))
            }
        }
        var quiz: [QuizItem] = []
        for entry in many["quiz"] ?? [] where !entry.value.isEmpty {
            switch QuizItem.parse(entry.value) {
            case .success(let item): quiz.append(item)
            case .failure(let problem): fail(entry.line, .malformedQuiz(reason: problem.reason))
            }
        }
        for related in many["related"] ?? [] where !related.value.isEmpty && !knownIDs.contains(related.value) {
            fail(related.line, .unknownRelated(related.value))
        }
        if let review = once["review"] {
            if !review.value.isEmpty && review.value != reviewPending {
                fail(review.line, .wrongReview(found: review.value, expected: reviewPending))
            }
        } else if folderLanguage != "en" {
            fail(1, .missingReview)
        }

        errors.sort { $0.line < $1.line }
        guard errors.isEmpty, let id = once["topic"]?.value, let language = once["language"]?.value,
            let title = once["title"]?.value, let answer = once["answer"]?.value, let why = once["why"]?.value,
            let more = once["more"]?.value, let simpler = once["simpler"]?.value,
            let experiment = once["experiment"]?.value
        else { return (nil, errors) }
        let values = { (key: String) in (many[key] ?? []).map(\.value) }
        let topic = CurriculumTopic(
            id: id, language: language, title: title, asks: values("ask"), misheard: values("misheard"),
            answer: answer, why: why, more: more, simpler: simpler, experiment: experiment, terms: values("term"),
            misconceptions: values("misconception"), safety: once["safety"]?.value, related: values("related"),
            review: once["review"]?.value, sourcePath: path, quiz: quiz)
        return (topic, errors)
    }
}
