import Foundation
import LanguageModel
import Tutor
import TutorCore

/// Loads the curriculum and glossaries from the resource directory, turning their errors into one clear message.
enum TutorResources {
    /// The languages retrieval indexes.
    static let languages = ["en", "sw"]

    static func answerer(options: RetrievalOptions = .default) throws -> TutorAnswerer {
        let root = TutorPaths.resourceDirectory()
        let curriculum: Curriculum
        let glossary: Glossary
        do {
            curriculum = try CurriculumLoader(root: root.appendingPathComponent("Curriculum")).load()
            glossary = try GlossaryParser.load(
                lexiconsFolder: root.appendingPathComponent("Lexicons"), languages: languages)
        } catch {
            throw UserFacingError("\(error)")
        }
        let retriever = TopicRetriever(
            curriculum: curriculum, glossary: glossary, languages: languages, options: options)
        return TutorAnswerer(curriculum: curriculum, glossary: glossary, retriever: retriever)
    }

    /// The language model when its file is in the cache; without it, English answers are curated too (said once on
    /// standard error).
    static func languageModel() throws -> TextGenerator? {
        let path = TutorPaths.defaultLanguageModelFile().path
        guard FileManager.default.fileExists(atPath: path) else {
            printError("note: \(path) is missing, so answers are the curated text (run Scripts/setup)")
            return nil
        }
        do {
            return try TextGenerator(path: path, contextLength: 1_024)
        } catch {
            throw UserFacingError("\(error)")
        }
    }
}
