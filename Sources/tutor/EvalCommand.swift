import ArgumentParser
import Foundation
import Pipeline
import Tutor
import TutorCore

/// `tutor eval ...`: measurements of each stage against committed data.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure a stage against committed evaluation data.",
        subcommands: [EvalTutorCommand.self, EvalASRCommand.self, EvalSpeechCommand.self, EvalLessonCommand.self]
    )
}

/// `tutor eval tutor`: topic accuracy, off-topic rejection and answer checks over a question set.
struct EvalTutorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tutor",
        abstract: "Run the tutor's question set and print the issue's figures per language.",
        discussion: """
            By default reads Evaluation/questions/<lang>.tsv (held out: measure it, never tune on it). --set dev \
            reads Evaluation/dev/<lang>.tsv, the set retrieval is tuned on; --leave-one-out also asks the \
            curriculum's own ask lines of an index built without each line. English answers are written by the \
            language model (every sentence checked, as `tutor ask` does) unless --curated is given; that is the slow \
            part, so measure with a release build.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Which question set: questions (held out) or dev.")
    var set = "questions"

    @Option(help: "Comma-separated languages.")
    var lang = "en,sw"

    @Flag(
        help: """
            Ask the set out loud: each question spoken by an espeak-ng voice with pink noise mixed in (clips kept in \
            the cache), recognized by Whisper (tiny.en for en, base for sw); topic accuracy from the transcript \
            alone and combined with scoring the curriculum's question forms against the audio.
            """)
    var spoken = false

    @Flag(help: "Answer from the curated text only, without the language model (fast; no model-written share).")
    var curated = false

    @Option(help: "The most tokens the language model may write for an answer.")
    var maxAnswerTokens = 160

    @Option(help: "Use only the first N questions of each set (a quick look).")
    var limit: Int?

    @Option(help: "Use every N-th question of each set, from the first (a spread-out sample for slow runs).")
    var every = 1

    @Flag(help: "Also run leave-one-out over the curriculum's ask lines.")
    var leaveOneOut = false

    @Flag(help: "List every question the tutor got wrong.")
    var misses = false

    @Option(help: "Retrieval settings to try, as name=value,name=value (tuning experiments on the dev set).")
    var retrieval = ""

    @Flag(help: "Print machine-readable JSON instead of text.")
    var json = false

    func validate() throws {
        guard ["questions", "dev"].contains(set) else {
            throw ValidationError("--set must be questions or dev (found '\(set)')")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1 (found \(limit))") }
        guard every >= 1 else { throw ValidationError("--every must be at least 1 (found \(every))") }
    }

    func retrievalOptions() throws -> RetrievalOptions {
        var options = RetrievalOptions.default
        for pair in retrieval.split(separator: ",") {
            let parts = pair.split(separator: "=").map(String.init)
            guard parts.count == 2, let value = Double(parts[1]), options.setting(parts[0], to: value) else {
                let names = RetrievalOptions.settingNames.joined(separator: ", ")
                throw ValidationError("--retrieval: expected name=number with a name from: \(names); found '\(pair)'")
            }
        }
        return options
    }

    /// One language's rows of the chosen set, strictly parsed, cut to `--limit`.
    func questionRows(_ language: String, answerer: TutorAnswerer) throws -> [EvaluationQuestion] {
        let path = "Evaluation/\(set)/\(language).tsv"
        let text: String
        do {
            text = try String(
                contentsOf: TutorPaths.resourceDirectory().appendingPathComponent(path), encoding: .utf8)
        } catch {
            throw UserFacingError("\(path): cannot read: \(error.localizedDescription)")
        }
        var rows: [EvaluationQuestion]
        do {
            rows = try QuestionSetParser.parse(
                text, path: path, knownTopics: Set(answerer.curriculum.listing.map(\.id)))
        } catch {
            throw UserFacingError("\(error)")
        }
        rows = rows.enumerated().filter { $0.offset % every == 0 }.map(\.element)
        if let limit { rows = Array(rows.prefix(limit)) }
        return rows
    }

    func run() throws {
        global.bootstrapLogging()
        let answerer = try TutorResources.answerer(options: try retrievalOptions())
        let root = TutorPaths.resourceDirectory()
        var reports: [TutorEvaluationReport] = []
        var looLines: [String] = []
        let languages = lang.split(separator: ",").map(String.init)
        if spoken { return try runSpoken(languages, answerer: answerer) }
        var model: ModelAnswerGenerator?
        if !curated, languages.contains("en"), let generator = try TutorResources.languageModel() {
            model = ModelAnswerGenerator(generator: generator)
            model?.maximumTokens = maxAnswerTokens
        }
        for language in languages {
            let rows = try questionRows(language, answerer: answerer)
            if var generator = model, language == "en" {
                reports.append(
                    try TutorEvaluator.evaluate(rows, language: language, answerer: answerer, generator: &generator))
                model = generator
            } else {
                reports.append(TutorEvaluator.evaluate(rows, language: language, answerer: answerer))
            }
            if leaveOneOut {
                let glossary = try GlossaryParser.load(
                    lexiconsFolder: root.appendingPathComponent("Lexicons"), languages: TutorResources.languages)
                let result = TutorEvaluator.leaveOneOut(
                    curriculum: answerer.curriculum, glossary: glossary, language: language,
                    options: answerer.retriever.options)
                looLines.append(
                    "\(language) leave-one-out over ask lines: top-1 \(result.top1Correct)/\(result.asked) "
                        + "(\(percent(Double(result.top1Correct) / Double(max(1, result.asked))))), confident "
                        + "\(result.confident)/\(result.asked)")
                if misses { looLines += result.misses.map { "  miss: \($0)" } }
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            var shown = reports
            if !misses {
                for index in shown.indices {
                    shown[index].misses = []
                    shown[index].modelShortfalls = []
                    shown[index].modelWholeAnswers = []
                }
            }
            print(String(decoding: try encoder.encode(shown), as: UTF8.self))
            return
        }
        for report in reports { print(describe(report)) }
        for line in looLines { print(line) }
    }

    /// `--spoken`: every language's set as speech, then one block of figures per language.
    func runSpoken(_ languages: [String], answerer: TutorAnswerer) throws {
        let evaluator = SpokenEvaluator(answerer: answerer, set: set)
        var reports: [SpokenEvaluationReport] = []
        for language in languages {
            let rows = try questionRows(language, answerer: answerer)
            reports.append(
                try evaluator.evaluate(rows, language: language) { line in
                    if global.verbose { printError(line) }
                })
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            var shown = reports
            if !misses { for index in shown.indices { shown[index].misses = [] } }
            print(String(decoding: try encoder.encode(shown), as: UTF8.self))
            return
        }
        for r in reports {
            var lines = [
                "\(r.language) spoken: \(r.questions) questions (Evaluation/\(set)/\(r.language).tsv) by espeak-ng with "
                    + "pink noise at 15-25 dB SNR, \(String(format: "%.0f", r.audioSeconds)) s of audio, \(r.recognizer)",
                "  top-1 from the transcript alone: \(r.transcriptTop1Correct)/\(r.topicQuestions) "
                    + "\(percent(r.transcriptTop1Accuracy)) (answered: \(r.transcriptAnsweredCorrectly))",
                "  top-1 combined with scoring:     \(r.combinedTop1Correct)/\(r.topicQuestions) "
                    + "\(percent(r.combinedTop1Accuracy)) (answered: \(r.combinedAnsweredCorrectly))",
                "  off-topic refused:               transcript \(r.transcriptOffTopicRefused)/\(r.offTopicQuestions), "
                    + "combined \(r.combinedOffTopicRefused)/\(r.offTopicQuestions)",
                String(
                    format: "  time per question:               recognize %.0f ms, score question forms %.0f ms",
                    r.recognizeMilliseconds / Double(max(1, r.questions)),
                    r.scoreMilliseconds / Double(max(1, r.questions))),
                "  clips:                           \(r.clipFolder)",
            ]
            if misses {
                lines += r.misses.map {
                    "  miss: \($0.source) [\($0.style)] '\($0.question)' heard '\($0.transcript)': expected "
                        + "\($0.expected), transcript \($0.transcriptTopic), combined \($0.combinedTopic)"
                }
            }
            print(lines.joined(separator: "\n"))
        }
    }

    func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    func describe(_ r: TutorEvaluationReport) -> String {
        var lines = [
            "\(r.language): \(r.questions) questions (Evaluation/\(set)/\(r.language).tsv), threshold \(r.threshold)",
            "  top-1 topic accuracy:        \(r.top1Correct)/\(r.topicQuestions) \(percent(r.top1Accuracy))",
        ]
        for kind in r.kinds.keys.sorted() {
            let k = r.kinds[kind]!
            lines.append(
                "    \(kind.padding(toLength: 26, withPad: " ", startingAt: 0))\(k.top1Correct)/\(k.questions) "
                    + percent(k.top1Accuracy))
        }
        lines += [
            "  answered from the right topic: \(r.answeredCorrectly)/\(r.topicQuestions) "
                + "\(percent(r.answeredCorrectlyRate)) (\(r.wronglyRefused) refused though on topic)",
            "  off-topic rejection:         \(r.offTopicRefused)/\(r.offTopicQuestions) "
                + percent(r.offTopicRejectionRate),
            "  key terms present:           \(r.answersWithAllKeyTerms)/\(r.answersGiven) "
                + "\(percent(r.keyTermsShare))\(r.modelAnswers == 0 ? " (curated text: true by construction)" : "")",
            "  answers stating a misconception: \(r.answersStatingMisconception)",
            "  written by the model:        \(r.modelWrittenShare)",
        ]
        if r.modelAnswers > 0 {
            lines.append(
                "    begun by the model, finished from the curated text: \(r.modelThenCurated) "
                    + "(\(r.modelMissingKeyTerms) for missing key terms)")
            lines.append("    model's part ended at a repeated sentence (not said): \(r.modelEndedByRepeat)")
            lines.append(
                "    sentences of answers kept whole copied word for word from the facts: "
                    + "\(r.modelWholeSentencesCopied)/\(r.modelWholeSentences)")
            for reason in r.modelRejections.keys.sorted() {
                lines.append("    first rejected sentence \(reason): \(r.modelRejections[reason]!)")
            }
        }
        lines += r.misconceptionFlags.map { "  misconception flag: \($0)" }
        if misses {
            lines += r.modelShortfalls.map { "  model answer not kept whole: \($0)" }
            lines += r.modelWholeAnswers.map { "  model answer kept whole: \($0)" }
            lines += r.misses.map {
                "  miss: \($0.source): '\($0.question)' expected \($0.expected), found \($0.found) "
                    + "(\(String(format: "%.2f", $0.confidence))\($0.refused ? ", refused" : ""))"
            }
        }
        return lines.joined(separator: "\n")
    }
}
