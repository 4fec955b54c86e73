import Foundation
import Tutor
import TutorCore

/// Loads the Tutor's data from the resource folder (Curriculum/, Lexicons/).
public enum PipelineResources {
    /// The curriculum, its glossaries and a retriever over `languages`.
    public static func tutorAnswerer(
        root: URL = TutorPaths.resourceDirectory(), languages: [String], retrieval: RetrievalOptions = .default
    ) throws -> TutorAnswerer {
        let curriculum = try CurriculumLoader(root: root.appendingPathComponent("Curriculum")).load()
        let glossary = try GlossaryParser.load(
            lexiconsFolder: root.appendingPathComponent("Lexicons"), languages: languages)
        let retriever = TopicRetriever(
            curriculum: curriculum, glossary: glossary, languages: languages, options: retrieval)
        return TutorAnswerer(curriculum: curriculum, glossary: glossary, retriever: retriever)
    }
}
