import Foundation
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
}
