import Testing

@testable import Tutor

@Suite struct DialogueTests {
    let curriculum = RepositoryTutor.curriculum

    @Test func followUpsWalkThroughTheTopicsFields() {
        var conversation = TutorConversation(answerer: RepositoryTutor.answerer)
        let sky = curriculum.topic("sky-blue", language: "en")!
        #expect(conversation.respond(to: "why is the sky blue", language: "en").topicID == "sky-blue")
        #expect(conversation.respond(to: "why?", language: "en").text == sky.why)
        #expect(conversation.respond(to: "tell me more", language: "en").text == sky.more)
        #expect(conversation.respond(to: "um I don't understand", language: "en").text == sky.simpler)
        #expect(conversation.topicID == "sky-blue")
    }

    @Test func sayItAgainRepeatsAndSlowerRepeatsAtTheSlowRate() {
        var conversation = TutorConversation(answerer: RepositoryTutor.answerer)
        let first = conversation.respond(to: "how does a magnet work", language: "en")
        let again = conversation.respond(to: "say it again", language: "en")
        #expect(again.text == first.text)
        #expect(again.rate == .normal)
        let slower = conversation.respond(to: "slower please", language: "en")
        #expect(slower.text == first.text)
        #expect(slower.rate == .slow)
    }

    @Test func swahiliFollowUpsUseTheSwahiliTopic() {
        var conversation = TutorConversation(answerer: RepositoryTutor.answerer)
        let sky = curriculum.topic("sky-blue", language: "sw")!
        #expect(conversation.respond(to: "kwa nini anga ni la buluu", language: "sw").topicID == "sky-blue")
        #expect(conversation.respond(to: "kwa nini?", language: "sw").text == sky.why)
        #expect(conversation.respond(to: "niambie zaidi", language: "sw").text == sky.more)
        #expect(conversation.respond(to: "sielewi", language: "sw").text == sky.simpler)
        #expect(conversation.respond(to: "rudia", language: "sw").text == sky.simpler)
    }

    @Test func aFollowUpBeforeAnyQuestionAsksForAQuestion() {
        var conversation = TutorConversation(answerer: RepositoryTutor.answerer)
        let reply = conversation.respond(to: "why", language: "en")
        #expect(reply.kind == .noTopicYet(.why))
        #expect(reply.text == TutorPhrases.askFirst("en"))
    }

    @Test func aNewQuestionChangesTheTopicAndAResetForgetsIt() {
        var conversation = TutorConversation(answerer: RepositoryTutor.answerer)
        _ = conversation.respond(to: "why is the sky blue", language: "en")
        _ = conversation.respond(to: "how does a magnet work", language: "en")
        #expect(conversation.topicID == "magnets")
        conversation.reset()
        #expect(conversation.topicID == nil)
        #expect(conversation.lastReply == nil)
    }

    @Test func aQuestionStartingWithWhyIsNotAFollowUp() {
        #expect(DialoguePhrases.intent(of: "why is the sky blue", language: "en") == nil)
        #expect(DialoguePhrases.intent(of: "kwa nini anga ni la buluu", language: "sw") == nil)
        #expect(DialoguePhrases.intent(of: "Why?", language: "en") == .why)
    }
}
