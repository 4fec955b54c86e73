import Testing

@testable import Tutor

@Suite struct TutorAnswererTests {
    let answerer = RepositoryTutor.answerer

    @Test func answersWithTheCuratedTextOfTheTopic() {
        let answer = answerer.answer("how does a magnet work", language: "en")
        let magnets = RepositoryTutor.curriculum.topic("magnets", language: "en")!
        #expect(answer.kind == .curated)
        #expect(answer.topicID == "magnets")
        #expect(answer.text.hasSuffix(magnets.answer))
    }

    @Test func theSafetyMessageOfTheTopicComesFirst() {
        let answer = answerer.answer("why is the sky blue", language: "en")
        let sky = RepositoryTutor.curriculum.topic("sky-blue", language: "en")!
        #expect(answer.text.hasPrefix(sky.safety!))
        #expect(answer.text.hasSuffix(sky.answer))
    }

    @Test func aQuestionAboutADangerGetsThatDangersSafetyMessageFirst() {
        let mains = RepositoryTutor.curriculum.topic("mains-safety", language: "en")!
        let answer = answerer.answer("can i put a nail in the wall socket", language: "en")
        #expect(answer.safety == mains.safety)
        #expect(answer.text.hasPrefix(mains.safety!))
        let swahili = RepositoryTutor.curriculum.topic("mains-safety", language: "sw")!
        #expect(answerer.answer("naweza kugusa soketi", language: "sw").text.hasPrefix(swahili.safety!))
    }

    @Test func anOffTopicQuestionGetsAKindRefusalInItsLanguageNeverAnAnswer() {
        let english = answerer.answer("who is the president of kenya", language: "en")
        #expect(english.kind == .unknown)
        #expect(english.text.hasPrefix("I don't know that one yet."))
        #expect(english.topicID == nil)
        let swahili = answerer.answer("rais wa kenya ni nani", language: "sw")
        #expect(swahili.kind == .unknown)
        #expect(swahili.text.hasPrefix(TutorPhrases.dontKnow("sw")))
    }

    @Test func aRefusalSuggestsARelatedTopicByItsTitle() {
        let answer = answerer.answer("what is the best song", language: "en")
        #expect(answer.kind == .unknown)
        if let id = answer.suggestedTopicID {
            let title = RepositoryTutor.curriculum.topic(id, language: "en")!.title.lowercased()
            #expect(answer.text.contains(title))
        }
    }

    @Test func answersASwahiliQuestionInSwahiliWhenTheLanguageIsDetected() {
        let answer = answerer.answer("kwa nini anga ni la buluu", language: "auto")
        #expect(answer.language == "sw")
        #expect(answer.text.hasSuffix(RepositoryTutor.curriculum.topic("sky-blue", language: "sw")!.answer))
    }
}
