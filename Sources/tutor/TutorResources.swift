import Foundation
import LanguageModel
import Pipeline
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
        do {
            return try PipelineResources.tutorAnswerer(languages: curriculumLanguages, retrieval: options)
        } catch {
            throw UserFacingError("\(error)")
        }
    }

    /// The language model when its file is in the cache; without it, English answers are curated too (said once on
    /// standard error).
    static func languageModel() throws -> TextGenerator? {
        try PipelineLoading.languageModel(PipelineLoading.Request())
    }
}
