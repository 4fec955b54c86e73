import Foundation
import Tutor
import TutorCore

/// Loads the curriculum and glossaries from the resource directory, turning their errors into one clear message.
enum TutorResources {
    /// The languages retrieval indexes.
    static let languages = ["en", "sw"]

    static func answerer(options: RetrievalOptions = .default) throws -> TutorAnswerer {
        let (curriculum, glossary) = try load()
        let retriever = TopicRetriever(
            curriculum: curriculum, glossary: glossary, languages: languages, options: options)
        return TutorAnswerer(curriculum: curriculum, glossary: glossary, retriever: retriever)
    }

    /// Retrieval alone: what lessons are indexed and found by.
    static func retriever() throws -> TopicRetriever {
        let (curriculum, glossary) = try load()
        return TopicRetriever(curriculum: curriculum, glossary: glossary, languages: languages)
    }

    private static func load() throws -> (Curriculum, Glossary) {
        let root = TutorPaths.resourceDirectory()
        do {
            let curriculum = try CurriculumLoader(root: root.appendingPathComponent("Curriculum")).load()
            let glossary = try GlossaryParser.load(
                lexiconsFolder: root.appendingPathComponent("Lexicons"), languages: languages)
            return (curriculum, glossary)
        } catch {
            throw UserFacingError("\(error)")
        }
    }
}
