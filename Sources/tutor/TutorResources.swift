import Foundation
import LanguageModel
import Tutor
import TutorCore

/// Loads the curriculum and glossaries from the resource directory, turning their errors into one clear message.
enum TutorResources {
    /// The languages a spoken question is detected among when the child's language is not given (`--lang auto`):
    /// English and Swahili, which every topic is written in.
    static let languages = TutorLanguage.everyTopicCodes
    /// The languages retrieval indexes and glossaries are read for: every curriculum language (`TutorLanguage.all`).
    static let curriculumLanguages = TutorLanguage.codes

    static func answerer(options: RetrievalOptions = .default) throws -> TutorAnswerer {
        let root = TutorPaths.resourceDirectory()
        let curriculum: Curriculum
        let glossary: Glossary
        do {
            curriculum = try CurriculumLoader(root: root.appendingPathComponent("Curriculum")).load()
            glossary = try GlossaryParser.load(
                lexiconsFolder: root.appendingPathComponent("Lexicons"), languages: curriculumLanguages)
        } catch {
            throw UserFacingError("\(error)")
        }
        let retriever = TopicRetriever(
            curriculum: curriculum, glossary: glossary, languages: curriculumLanguages, options: options)
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
