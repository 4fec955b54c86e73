import Foundation
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
}
