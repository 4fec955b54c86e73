import ArgumentParser
import Foundation
import Synthesis
import Tutor
import TutorCore

/// `tutor voice prompts`: the prompt list a speaker reads to record a diphone voice.
struct VoicePromptsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompts",
        abstract: "Write a small prompt list covering every diphone a language needs (or --check one).",
        discussion: """
            Needed diphones come from the lexicon (exceptions, goldens, word lists; CMUdict for English), the \
            curriculum's spoken text and silence at word edges; prompts are chosen by greedy set cover over \
            words in the carrier of Voices/prompts/carriers and short curriculum phrases. Counts go to standard \
            error. Format of the list: Sources/Synthesis/DiphonePromptList.swift.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Language code: en, sw, zu, ny, ha, yo, hi or ur.")
    var lang: String

    @Option(name: .shortAndLong, help: "Write the list here instead of standard output.")
    var output: String?

    @Option(help: "Check that an existing prompt list (a prompts.tsv) covers every needed diphone instead.")
    var check: String?

    func run() throws {
        global.bootstrapLogging()
        let root = TutorPaths.resourceDirectory()
        let resources = SynthesisResources(rootDirectory: root)
        let language: Language
        let planner: DiphonePromptPlanner
        let lexiconWords: [String]
        do {
            language = try Language(code: lang)
            let pronouncer = try Pronouncer(language: language, resources: resources)
            let carrier = try DiphoneCarrier.load(from: resources.voiceFile("prompts/carriers"), language: language)
            planner = DiphonePromptPlanner(pronouncer: pronouncer, carrier: carrier)
            lexiconWords = try DiphonePromptPlanner.lexiconWords(for: pronouncer, resources: resources)
        } catch {
            throw UserFacingError("\(error)")
        }
        let texts = try Self.curriculumTexts(language: language.rawValue, root: root)
        if let check {
            try checkList(check, planner: planner, texts: texts, lexiconWords: lexiconWords)
            return
        }
        let plan = planner.plan(texts: texts, lexiconWords: lexiconWords, command: "tutor voice prompts --lang \(lang)")
        printError(
            "diphones needed: \(plan.needed.count) "
                + "(\(lexiconWords.count) lexicon words, \(texts.count) curriculum texts)")
        printError("covered: \(plan.coveredCount)")
        printError(
            "prompts: \(plan.list.prompts.count), phones: \(plan.list.phoneCount) "
                + "(chosen from \(plan.candidateCount) candidates)")
        printError(
            "not covered: "
                + (plan.uncovered.isEmpty ? "none" : plan.uncovered.map(\.description).joined(separator: " ")))
        let text = plan.list.formatted()
        if let output {
            do {
                try text.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                throw UserFacingError("\(output): cannot write: \(error.localizedDescription)")
            }
        } else {
            print(text, terminator: "")
        }
    }

    private func checkList(
        _ path: String, planner: DiphonePromptPlanner, texts: [String], lexiconWords: [String]
    )
        throws
    {
        let list: DiphonePromptList
        do {
            list = try DiphonePromptList.load(
                from: URL(fileURLWithPath: path), language: planner.pronouncer.language,
                inventory: planner.pronouncer.inventory)
        } catch {
            throw UserFacingError("\(error)")
        }
        let needed = planner.neededDiphones(texts: texts, lexiconWords: lexiconWords)
        let missing = needed.subtracting(list.diphones).sorted()
        print("\(path): \(list.prompts.count) prompts, \(list.phoneCount) phones")
        print("diphones needed: \(needed.count), covered: \(needed.count - missing.count)")
        if !missing.isEmpty {
            throw UserFacingError(
                "\(path): \(missing.count) needed diphones are in no prompt: "
                    + missing.map(\.description).joined(separator: " "))
        }
    }

    /// What the tutor says in a language: every topic's title, answer, follow-ups, safety message and quiz lines.
    static func curriculumTexts(language: String, root: URL) throws -> [String] {
        let curriculum: Curriculum
        do {
            curriculum = try CurriculumLoader(root: root.appendingPathComponent("Curriculum")).load()
        } catch {
            throw UserFacingError("\(error)")
        }
        return curriculum.topics(in: language).flatMap { topic in
            [topic.title, topic.answer, topic.why, topic.more, topic.simpler, topic.experiment]
                + (topic.safety.map { [$0] } ?? []) + topic.quiz.flatMap { [$0.question] + $0.accepted }
        }
    }
}
