import ArgumentParser
import Audio
import Foundation
import Lessons
import Pipeline
import Tutor
import TutorCore

/// `tutor eval lesson requests`: how often a request finds the lesson it asks for, and how often a garbled or
/// off-topic one finds none, over a library of one lesson per curriculum topic and language.
struct EvalLessonRequestsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requests",
        abstract: "Find lessons for a set of requests and report how many find the right one, a wrong one or none.",
        discussion: """
            The library holds one ready lesson per curriculum topic in English and in Swahili, titled with the \
            topic's title and indexed with the topic. Written (the default): each row of --set (request, language \
            heard, topic or none, kind; see Evaluation/lessons/README.md) is found as the kiosk finds a transcript. \
            --spoken LANG: every lesson of that language is asked for by its name ("play the lesson about \
            rainbows", "cheza somo kuhusu upinde wa mvua"), and the set's off-topic rows of that language are asked \
            too; espeak-ng speaks each request and Whisper hears it as `tutor lesson find --audio` does. A request \
            for a topic is right when the first lesson found has that topic; one for none is right when none is \
            found.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The request set (default: Evaluation/lessons/requests.tsv).")
    var set = "Evaluation/lessons/requests.tsv"

    @Option(help: "Speak the requests in this language (en or sw) instead of finding the written set.")
    var spoken: String?

    @Option(help: "With --spoken, the language Whisper listens for: the spoken one (default) or auto (en or sw).")
    var listen: String?

    @Option(help: "The least retrieval confidence for a request's topic to count (default: the finder's).")
    var minConfidence: Double?

    @Flag(
        inversion: .prefixedNo,
        help: """
            With --spoken, when the transcript finds no lesson, score request phrasings of the lessons' names \
            against the audio (as the kiosk does for Swahili); --no-phrases measures the transcript alone.
            """)
    var phrases = true

    @Option(help: "With --spoken, the margin per word a scored phrasing must win by (default: the finder's).")
    var phraseMargin: Double?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    /// The words a generated spoken request puts before a lesson's name, by language.
    static let requestFrames = ["en": "play the lesson about", "sw": "cheza somo kuhusu"]

    func validate() throws {
        if let spoken, Self.requestFrames[spoken] == nil {
            throw ValidationError("--spoken must be en or sw (found '\(spoken)')")
        }
        if let listen, listen != TopicRetriever.automaticLanguage, Self.requestFrames[listen] == nil {
            throw ValidationError("--listen must be en, sw or auto (found '\(listen)')")
        }
        if listen != nil && spoken == nil { throw ValidationError("--listen needs --spoken") }
        if let phraseMargin, !(phraseMargin >= 0) {
            throw ValidationError("--phrase-margin must be 0 or more (found \(phraseMargin))")
        }
    }

    func run() throws {
        global.bootstrapLogging()
        // The set is checked before the curriculum loads, so a malformed row is reported at once.
        let url = try EvalASRCommand.manifestURL(set)
        let rows = try LessonRequestRow.read(url)
        let answerer = try TutorResources.answerer()
        let topics = Set(answerer.curriculum.listing.map(\.id))
        if let unknown = rows.first(where: { $0.topic != "none" && !topics.contains($0.topic) }) {
            throw UserFacingError(
                "\(url.path):\(unknown.line): unknown topic '\(unknown.topic)' (a curriculum topic id or none)")
        }
        let library = try Self.library(answerer.curriculum)
        var finder = LessonFinder(manifest: library, topics: answerer.retriever)
        if let minConfidence { finder.minimumTopicConfidence = minConfidence }
        var outcomes: [LessonRequestOutcome] = []
        if let spoken {
            outcomes = try speakAndFind(spoken, library: library, rows: rows, finder: finder)
        } else {
            for row in rows {
                let best = finder.find(row.request, language: row.language).first
                outcomes.append(LessonRequestOutcome(row: row, heard: row.request, found: best?.lesson.topics.first))
            }
        }
        report(outcomes, threshold: finder.minimumTopicConfidence)
    }

    /// One ready lesson per topic in English and Swahili, titled with the topic's title.
    static func library(_ curriculum: Curriculum) throws -> LessonManifest {
        var manifest = LessonManifest()
        for language in TutorLanguage.everyTopicCodes {
            for topic in curriculum.topics(in: language) {
                do {
                    var lesson = Lesson(
                        title: try LessonTitle(topic.title), language: language, source: .rendered, state: .ready)
                    lesson.topics = [topic.id]
                    try manifest.upsert(lesson)
                } catch {
                    throw UserFacingError("curriculum topic \(topic.id) (\(language)) as a lesson: \(error)")
                }
            }
        }
        return manifest
    }

    /// Every lesson in `language` asked for by name, and the set's off-topic rows in it, spoken and heard.
    func speakAndFind(
        _ language: String, library: LessonManifest, rows: [LessonRequestRow], finder: LessonFinder
    ) throws -> [LessonRequestOutcome] {
        guard ProcessRunner.isAvailable("espeak-ng") else {
            throw UserFacingError("espeak-ng is not installed (Scripts/setup installs the Debian package)")
        }
        let frame = Self.requestFrames[language] ?? ""
        var requests = library.lessons.filter { $0.language == language }.map {
            LessonRequestRow(
                request: "\(frame) \(LessonFinder.spokenName($0.title.text))", language: language,
                topic: $0.topics.first ?? "none", kind: "lesson", line: 0)
        }
        requests += rows.filter { $0.kind == "offtopic" && $0.language == language }
        let recognizer = try SpokenRequestRecognizer(language: listen ?? language)
        let voice = RoundTripVoice.espeak(voice: language == "en" ? "en-us" : language)
        let scratch = try ScratchFolder.make()
        defer { try? FileManager.default.removeItem(at: scratch) }
        var outcomes: [LessonRequestOutcome] = []
        for (number, row) in requests.enumerated() {
            let sentence = RoundTripSentence(number: number + 1, text: row.request, part: "")
            let audio = try voice.speak(sentence, scratch: scratch)
            let heard = try recognizer.transcribe(
                audio, appendedSilenceMilliseconds: LessonCommand.Find.requestSilenceMilliseconds)
            let text = heard.text.trimmingCharacters(in: .whitespaces)
            let scorer = phrases ? WhisperPhraseScorer(recognizer: recognizer.recognizer, samples: audio.samples) : nil
            let best = try finder.find(
                text, language: heard.language, scorer: scorer, options: phraseOptions
            ).first
            outcomes.append(LessonRequestOutcome(row: row, heard: text, found: best?.lesson.topics.first))
            if !json {
                let phrase = best?.heardPhrase.map {
                    String(format: " (scored '%@', margin %.3f)", $0, best?.phraseMarginPerWord ?? 0)
                }
                printError("\(number + 1)/\(requests.count) \(row.request) -> \(text)\(phrase ?? "")")
            }
        }
        return outcomes
    }

    /// The finder's phrasing options, with --phrase-margin.
    var phraseOptions: SpokenLessonOptions {
        var options = SpokenLessonOptions.default
        if let phraseMargin { options.minimumMarginPerWord = phraseMargin }
        return options
    }

    func report(_ outcomes: [LessonRequestOutcome], threshold: Double) {
        let kinds = outcomes.map(\.row.kind).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let totals = kinds.map { kind in
            let rows = outcomes.filter { $0.row.kind == kind }
            return (
                kind: kind, requests: rows.count, right: rows.filter(\.isRight).count,
                none: rows.filter { $0.found == nil && !$0.isRight }.count,
                wrong: rows.filter { $0.found != nil && !$0.isRight }.count
            )
        }
        let misses = outcomes.filter { !$0.isRight }
        if json {
            printJSON([
                "set": spoken == nil ? set : "lessons by name + \(set) offtopic",
                "spoken": spoken ?? "", "listen": listen ?? spoken ?? "",
                "min_confidence": threshold,
                "kinds": totals.map {
                    ["kind": $0.kind, "requests": $0.requests, "right": $0.right, "none": $0.none, "wrong": $0.wrong]
                },
                "misses": misses.map {
                    [
                        "request": $0.row.request, "heard": $0.heard, "expected": $0.row.topic,
                        "found": $0.found ?? "none",
                    ]
                },
            ])
            return
        }
        print("kind\trequests\tright\tnone found\twrong lesson\tshare right")
        for total in totals {
            print(
                String(
                    format: "%@\t%d\t%d\t%d\t%d\t%.3f", total.kind, total.requests, total.right, total.none,
                    total.wrong, Double(total.right) / Double(max(total.requests, 1))))
        }
        for miss in misses {
            let heard = miss.heard == miss.row.request ? "" : " (heard '\(miss.heard)')"
            print("miss: '\(miss.row.request)'\(heard): expected \(miss.row.topic), found \(miss.found ?? "none")")
        }
    }
}

/// One request of the set: what was said, the language it was heard in, the topic it asks for (`none`), its kind.
struct LessonRequestRow {
    var request: String
    var language: String
    var topic: String
    var kind: String
    var line: Int

    static let kinds: Set<String> = ["plain", "misheard", "garbled", "offtopic"]

    /// The rows of a set file; a malformed row is an error naming the file and line (topics are checked by the
    /// caller, against the curriculum).
    static func read(_ url: URL) throws -> [LessonRequestRow] {
        var rows: [LessonRequestRow] = []
        for (number, text) in try dataLines(of: url) {
            let fields = text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            func fail(_ message: String) -> UserFacingError { UserFacingError("\(url.path):\(number): \(message)") }
            guard fields.count == 4 else {
                throw fail("expected 4 tab-separated fields (request, language, topic, kind), found \(fields.count)")
            }
            let row = LessonRequestRow(
                request: fields[0], language: fields[1], topic: fields[2], kind: fields[3], line: number)
            guard !row.request.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail("the request is empty") }
            guard TutorLanguage.named(row.language)?.isRecognized == true else {
                throw fail("unknown heard language '\(row.language)'")
            }
            guard kinds.contains(row.kind) else {
                throw fail("unknown kind '\(row.kind)' (one of \(kinds.sorted().joined(separator: ", ")))")
            }
            rows.append(row)
        }
        guard !rows.isEmpty else { throw UserFacingError("\(url.path): no requests") }
        return rows
    }
}

/// What a request found.
struct LessonRequestOutcome {
    var row: LessonRequestRow
    /// The transcript the finder was given (the request itself when written).
    var heard: String
    /// The first topic of the best lesson, nil when none was found.
    var found: String?

    var isRight: Bool { found == (row.topic == "none" ? nil : row.topic) }
}
