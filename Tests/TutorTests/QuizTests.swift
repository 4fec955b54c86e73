import Testing

@testable import Tutor

@Suite struct QuizLineTests {
    @Test func aQuizLineIsReadWithItsAcceptedAnswers() throws {
        let errors = try errorsAfterEditing(
            line: 20, to: ["related: red-sunset", "quiz: Which colour does air scatter most? | blue | blue light"])
        #expect(errors == [])
        let scratch = try ScratchCurriculum()
        defer { scratch.remove() }
        try scratch.write(
            "en/sky-blue.txt", validEnglish + "quiz: Which colour does air scatter most? | blue | blue light\n")
        let topic = try #require(scratch.load().0.topic("sky-blue", language: "en"))
        #expect(
            topic.quiz == [QuizItem(question: "Which colour does air scatter most?", accepted: ["blue", "blue light"])])
    }

    @Test(arguments: [
        ("quiz: Which colour is the sky?", "no accepted answer after the question"),
        ("quiz: Which colour is the sky | blue", "the question must end with '?'"),
        ("quiz: Which colour is the sky? | blue |", "accepted answer 2 is empty"),
    ])
    func aMalformedQuizLineIsRejectedWithFileAndLine(line: String, reason: String) throws {
        let errors = try errorsAfterEditing(line: 20, to: ["related: red-sunset", line])
        #expect(
            errors == [
                "Curriculum/en/sky-blue.txt:21: bad quiz line: \(reason) "
                    + "(expected 'question? | accepted answer | another accepted answer')"
            ])
    }

    @Test func everyCoreTopicHasAQuizQuestionInEnglishAndSwahili() {
        let core = [
            "push-and-pull", "gravity", "what-is-energy", "sound-vibrations", "electricity", "mains-safety",
            "lightning", "thunder-and-lightning-delay", "cooking-fire", "boiling", "day-and-night",
            "clouds-and-rain", "sky-blue", "rainbows", "shadows", "mirrors", "lenses", "eyes", "lasers", "solar-cells",
        ]
        for language in ["en", "sw"] {
            for id in core {
                #expect(
                    RepositoryTutor.curriculum.topic(id, language: language)?.quiz.isEmpty == false,
                    "\(language)/\(id).txt has no quiz line")
            }
        }
    }
}

@Suite struct QuizAnswerMatcherTests {
    @Test(arguments: [
        ("gravity", true), ("i think it is gravity", true), ("gravy tea", true), ("the gravity", true),
        ("it is magnetism", false), ("not gravity", false), ("", false),
    ])
    func judgesEnglishAnswersToleratingRecognizerErrors(answer: String, right: Bool) {
        let matched = QuizAnswerMatcher.match(answer, accepted: ["gravity", "the earth"], language: "en")
        #expect((matched != nil) == right, "'\(answer)' matched \(matched ?? "nothing")")
    }

    @Test func aBareNoIsMatchedByAnyNegatedAnswerAndNotByYes() {
        #expect(QuizAnswerMatcher.match("no never", accepted: ["no"], language: "en") == "no")
        #expect(QuizAnswerMatcher.match("yes it is safe", accepted: ["no", "not safe"], language: "en") == nil)
        #expect(QuizAnswerMatcher.match("it is not safe", accepted: ["no", "not safe"], language: "en") != nil)
    }

    @Test func judgesSwahiliAnswersWithDroppedLetters() {
        #expect(QuizAnswerMatcher.match("ni mfuto", accepted: ["mvuto", "dunia"], language: "sw") != nil)
        #expect(QuizAnswerMatcher.match("ni sumaku", accepted: ["mvuto", "dunia"], language: "sw") == nil)
    }
}

@Suite struct TutorQuizTests {
    @Test func asksJudgesExplainsWhenWrongAndKeepsScore() throws {
        var conversation = TutorConversation(answerer: RepositoryTutor.answerer)
        let gravity = try #require(RepositoryTutor.curriculum.topic("gravity", language: "en"))
        let first = conversation.startQuiz(language: "en", topicID: "boiling")
        let boiling = try #require(RepositoryTutor.curriculum.topic("boiling", language: "en"))
        #expect(first.text == boiling.quiz[0].question)
        #expect(first.wasRight == nil)

        // Right, though misrecognized ("hundred degrees" for 100 degrees).
        let secondReply = conversation.answerQuiz("a hundred degrees")
        let second = try #require(secondReply)
        #expect(second.wasRight == true)
        #expect(second.text == "That's right! " + boiling.quiz[1].question)

        // "say it again" repeats the question without judging.
        let repeatedReply = conversation.answerQuiz("say it again")
        let repeated = try #require(repeatedReply)
        #expect(repeated.text == boiling.quiz[1].question)
        #expect(repeated.asked == 1)

        // Wrong: the accepted answer, the simpler explanation, then the score.
        let lastReply = conversation.answerQuiz("smoke")
        let last = try #require(lastReply)
        #expect(last.wasRight == false)
        #expect(last.text.hasPrefix("Not quite. The answer is: \(boiling.quiz[1].accepted[0])."))
        #expect(last.text.contains(boiling.simpler))
        #expect(last.text.hasSuffix("You got 1 of 2 right."))
        #expect(conversation.quiz == nil)
        #expect(conversation.answerQuiz("anything") == nil)
        #expect(gravity.quiz.count >= 1)
    }

    @Test func aSwahiliQuizRepliesInSwahili() throws {
        var conversation = TutorConversation(answerer: RepositoryTutor.answerer)
        _ = conversation.startQuiz(language: "sw", topicID: "gravity")
        let replyReply = conversation.answerQuiz("ni mvuto wa dunia")
        let reply = try #require(replyReply)
        #expect(reply.wasRight == true)
        #expect(reply.text == "Sawa kabisa! Umepata 1 kati ya 1.")
    }

    @Test func aQuizAfterAQuestionAsksAboutThatTopic() {
        var conversation = TutorConversation(answerer: RepositoryTutor.answerer)
        _ = conversation.respond(to: "why is the sky blue", language: "en")
        let reply = conversation.startQuiz(language: "en")
        #expect(reply.nextQuestion == RepositoryTutor.curriculum.topic("sky-blue", language: "en")?.quiz.first)
    }

    @Test func aTopicWithoutQuizLinesSaysSo() {
        var conversation = TutorConversation(answerer: RepositoryTutor.answerer)
        let reply = conversation.startQuiz(language: "en", topicID: "momentum")
        #expect(reply.nextQuestion == nil)
        #expect(reply.text == "I have no quiz questions for that yet.")
        #expect(conversation.quiz == nil)
    }
}
