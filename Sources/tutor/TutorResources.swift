import Foundation
import Pipeline
import Tutor
import TutorCore

/// Loads the curriculum and glossaries from the resource directory, turning their errors into one clear message.
enum TutorResources {
    /// The languages retrieval indexes.
    static let languages = ["en", "sw"]

    static func answerer(options: RetrievalOptions = .default) throws -> TutorAnswerer {
        do {
            return try PipelineResources.tutorAnswerer(languages: languages, retrieval: options)
        } catch {
            throw UserFacingError("\(error)")
        }
    }
}
