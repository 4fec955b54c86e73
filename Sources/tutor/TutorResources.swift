import Foundation
import TutorCore
import Tutor

/// Loads the curriculum and glossaries from the resource directory, turning their errors into one clear message.
enum TutorResources {
    /// The languages retrieval indexes.
    static let languages = ["en", "sw"]

    static func answerer() throws -> TutorAnswerer {
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
        return TutorAnswerer(curriculum: curriculum, glossary: glossary)
    }
}
