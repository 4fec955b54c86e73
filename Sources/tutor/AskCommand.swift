import ArgumentParser
import Foundation
import Tutor

/// `tutor ask --text "why is the sky blue"`: answers a written question from the curriculum.
struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer a question from the curriculum.",
        discussion: """
            Prints the answer: the safety message first when there is one, then the curated answer, or "I don't \
            know that one yet" with a related topic. Speaking the answer comes with the speech synthesizer.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The question, as text.")
    var text: String

    @Option(help: "The question's language: en, sw, or auto to detect it.")
    var lang = "auto"

    @Flag(help: "Print the answer without speaking it.")
    var noSpeak = false

    func validate() throws {
        guard ["en", "sw", "auto"].contains(lang) else {
            throw ValidationError("--lang must be en, sw or auto (found '\(lang)')")
        }
    }

    func run() throws {
        global.bootstrapLogging()
        let answerer = try TutorResources.answerer()
        let answer = answerer.answer(text, language: lang)
        if global.verbose {
            let ranked = answer.retrieval.topics.prefix(3).map {
                "\($0.id) \(String(format: "%.2f", $0.confidence))"
            }
            FileHandle.standardError.write(
                Data(
                    ("language \(answer.retrieval.language); threshold "
                        + "\(answer.retrieval.threshold); ranked: \(ranked.joined(separator: ", "))\n").utf8))
        }
        print(answer.text)
        if !noSpeak {
            FileHandle.standardError.write(Data("note: speech is not built yet; the answer was printed only\n".utf8))
        }
    }
}
