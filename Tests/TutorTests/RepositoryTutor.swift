import Foundation

@testable import Tutor

/// The repository's curriculum and glossaries, loaded once for every retrieval and answering test.
enum RepositoryTutor {
    static let root = RepositoryCurriculum.root.deletingLastPathComponent()

    static let curriculum = RepositoryCurriculum.loaded.0

    static let glossary: Glossary = {
        do {
            return try GlossaryParser.load(
                lexiconsFolder: root.appendingPathComponent("Lexicons"), languages: ["en", "sw"])
        } catch {
            // The glossary tests report the errors themselves; here an empty glossary keeps other tests meaningful.
            return .empty
        }
    }()

    static let retriever = TopicRetriever(curriculum: curriculum, glossary: glossary)

    static let answerer = TutorAnswerer(curriculum: curriculum, glossary: glossary, retriever: retriever)

    /// Rows of a committed question set (`Evaluation/<folder>/<language>.tsv`).
    static func questions(_ folder: String, _ language: String) throws -> [EvaluationQuestion] {
        let path = "Evaluation/\(folder)/\(language).tsv"
        let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        return try QuestionSetParser.parse(text, path: path, knownTopics: Set(curriculum.listing.map(\.id)))
    }
}
