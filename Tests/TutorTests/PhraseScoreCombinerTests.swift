import Testing
import TutorCore

@testable import Tutor

/// A recognizer stand-in that scores phrases by whether they contain a word it "heard".
struct FakePhraseScorer: PhraseScoring {
    var heardWord: String

    func logProbabilities(of candidates: [String], language: String) throws -> [Double] {
        candidates.map { $0.contains(heardWord) ? -2 : -20 }
    }
}

@Suite struct PhraseScoreCombinerTests {
    let combiner = PhraseScoreCombiner(curriculum: RepositoryTutor.curriculum)

    @Test func acousticScoresLiftTheTopicWhoseQuestionFormsTheAudioMatches() throws {
        // The transcript is ambiguous between magnets and compass; the audio matched "compass".
        let text = RepositoryTutor.retriever.retrieve("magnet that points north", language: "en")
        #expect(text.topics.map(\.id).contains("compass"))
        let combined = try combiner.combine(text, scorer: FakePhraseScorer(heardWord: "compass"))
        #expect(combined.best?.id == "compass")
    }

    @Test func withNoTextMatchEveryTopicIsScoredAcoustically() throws {
        let text = RepositoryTutor.retriever.retrieve("mmm hmm", language: "en")
        #expect(text.topics.isEmpty)
        let combined = try combiner.combine(text, scorer: FakePhraseScorer(heardWord: "rainbow"))
        #expect(combined.best?.id == "rainbows")
    }

    @Test func aGarbledTranscriptStillReachesTheTopicTheAudioMatches() throws {
        // Free decoding of Swahili comes back as noise that matches the wrong topics weakly.
        let text = RepositoryTutor.retriever.retrieve("puani nian dalinaran kiya", language: "sw")
        #expect(!text.isConfident && !text.topics.prefix(5).contains { $0.id == "sky-blue" })
        let heard = RepositoryTutor.curriculum.topic("sky-blue", language: "sw")!.asks[0]
        let combined = try combiner.combine(text, scorer: FakePhraseScorer(heardWord: heard))
        #expect(combined.best?.id == "sky-blue")
        var textOnly = PhraseCombinationOptions()
        textOnly.preselectWhenUnsure = false
        let withoutPreselection = try PhraseScoreCombiner(curriculum: RepositoryTutor.curriculum, options: textOnly)
            .combine(text, scorer: FakePhraseScorer(heardWord: heard))
        #expect(withoutPreselection.best?.id != "sky-blue")
    }

    @Test func combinedConfidenceStaysBetweenZeroAndOne() throws {
        let text = RepositoryTutor.retriever.retrieve("why is the sky blue", language: "en")
        let combined = try combiner.combine(text, scorer: FakePhraseScorer(heardWord: "sky"))
        #expect(combined.topics.allSatisfy { $0.confidence >= 0 && $0.confidence <= 1 })
        #expect(combined.best?.id == "sky-blue")
    }
}
