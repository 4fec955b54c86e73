import ArgumentParser
import Foundation
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
            curriculum's own ask lines of an index built without each line.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Which question set: questions (held out) or dev.")
    var set = "questions"

    @Option(help: "Comma-separated languages.")
    var lang = "en,sw"

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

    func run() throws {
        global.bootstrapLogging()
        let answerer = try TutorResources.answerer(options: try retrievalOptions())
        let root = TutorPaths.resourceDirectory()
        let known = Set(answerer.curriculum.listing.map(\.id))
        var reports: [TutorEvaluationReport] = []
        var looLines: [String] = []
        for language in lang.split(separator: ",").map(String.init) {
            let path = "Evaluation/\(set)/\(language).tsv"
            let text: String
            do {
                text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            } catch {
                throw UserFacingError("\(path): cannot read: \(error.localizedDescription)")
            }
            let rows: [EvaluationQuestion]
            do {
                rows = try QuestionSetParser.parse(text, path: path, knownTopics: known)
            } catch {
                throw UserFacingError("\(error)")
            }
            reports.append(TutorEvaluator.evaluate(rows, language: language, answerer: answerer))
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
            if !misses { for index in shown.indices { shown[index].misses = [] } }
            print(String(decoding: try encoder.encode(shown), as: UTF8.self))
            return
        }
        for report in reports { print(describe(report)) }
        for line in looLines { print(line) }
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
                + "\(percent(r.keyTermsShare)) (curated text: true by construction)",
            "  answers stating a misconception: \(r.answersStatingMisconception)",
            "  written by the model:        \(r.modelWrittenShare)",
        ]
        lines += r.misconceptionFlags.map { "  misconception flag: \($0)" }
        if misses {
            lines += r.misses.map {
                "  miss: \($0.source): '\($0.question)' expected \($0.expected), found \($0.found) "
                    + "(\(String(format: "%.2f", $0.confidence))\($0.refused ? ", refused" : ""))"
            }
        }
        return lines.joined(separator: "\n")
    }
}
