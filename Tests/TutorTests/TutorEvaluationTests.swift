import Testing
import TutorCore

@testable import Tutor

@Suite struct TutorEvaluationTests {
    @Test func countsTopicAccuracyRefusalsAndKeyTermsOnAFewRows() throws {
        let rows = try QuestionSetParser.parse(
            "# question\ttopic\tkind\nwhy is the sky blue\tsky-blue\tplain\nhow does a magnate work\tmagnets\t"
                + "misheard\nwho is the president of kenya\tnone\tofftopic\n", path: "smoke.tsv")
        let report = TutorEvaluator.evaluate(rows, language: "en", answerer: RepositoryTutor.answerer)
        #expect(report.questions == 3)
        #expect(report.topicQuestions == 2)
        #expect(report.top1Correct == 2)
        #expect(report.kinds["misheard"]?.top1Correct == 1)
        #expect(report.offTopicRefused == 1)
        #expect(report.keyTermsShare == 1)
        #expect(report.answersStatingMisconception == 0)
        #expect(report.misses.isEmpty)
    }

    @Test func countsModelAnswersKeptWholeAndMeasuresTermsOnWhatIsSaid() throws {
        let rows = try QuestionSetParser.parse(
            "# question\ttopic\tkind\nwhy is the sky blue\tsky-blue\tplain\nwhy is the sky blue today\tsky-blue\tplain\n"
                + "who is the president of kenya\tnone\tofftopic\n", path: "model.tsv")
        // The first answer holds every key term; the second states the marked misconception first.
        var generator = ScriptedGenerator(answers: [
            [
                "Sunlight is a mix of all the colours.",
                "The air can scatter blue light much more than red light.",
            ],
            ["The sky is blue because it reflects the sea."],
        ])
        let report = try TutorEvaluator.evaluate(
            rows, language: "en", answerer: RepositoryTutor.answerer, generator: &generator)
        #expect(report.modelAnswers == 2)
        #expect(report.modelWrittenWhole == 1)
        #expect(report.modelRejections == ["states a misconception": 1])
        #expect(report.modelWrittenShare == "1/2 50.0% (kept whole)")
        #expect(report.answersStatingMisconception == 0)
        #expect(report.keyTermsShare == 1)
        #expect(report.modelShortfalls.first?.hasPrefix("model.tsv:3: states a misconception") == true)
        // Neither kept sentence is a sentence of sky-blue's answer or simpler version as written.
        #expect(report.modelWholeSentences == 2)
        #expect(report.modelWholeSentencesCopied == 0)
        #expect(
            report.modelWholeAnswers == [
                "model.tsv:2: Sunlight is a mix of all the colours. The air can scatter blue light much more than red light."
            ])
    }

    @Test func countsSentencesOfAnswersKeptWholeCopiedFromTheFacts() throws {
        let sky = try #require(RepositoryTutor.curriculum.topic("sky-blue", language: "en"))
        let rows = try QuestionSetParser.parse(
            "# question\ttopic\tkind\nwhy is the sky blue\tsky-blue\tplain\n", path: "copy.tsv")
        var generator = ScriptedGenerator(answers: [AnswerSentences.split(sky.answer)])
        let report = try TutorEvaluator.evaluate(
            rows, language: "en", answerer: RepositoryTutor.answerer, generator: &generator)
        #expect(report.modelWrittenWhole == 1)
        #expect(report.modelWholeSentencesCopied == report.modelWholeSentences)
        #expect(report.modelWholeSentences == AnswerSentences.split(sky.answer).count)
    }

    @Test func rejectsAMalformedRowWithFileAndLine() {
        let message = "unknown kind 'odd' (expected one of: plain, misheard, offtopic)"
        #expect(throws: QuestionSetError(path: "q.tsv", line: 2, message: message)) {
            try QuestionSetParser.parse("# h\nwhy\tsky-blue\todd\n", path: "q.tsv")
        }
    }

    @Test func theCommittedQuestionSetsParse() throws {
        #expect(try RepositoryTutor.questions("questions", "en").count >= 150)
        #expect(try RepositoryTutor.questions("questions", "sw").count >= 60)
        #expect(try RepositoryTutor.questions("dev", "en").count >= 30)
    }
}

/// Gives one scripted answer per request, a sentence at a time.
struct ScriptedGenerator: TextGenerating {
    var answers: [[String]]

    mutating func generate(_ request: TextGenerationRequest, onSentence: (String) throws -> Bool) throws {
        guard !answers.isEmpty else { return }
        for sentence in answers.removeFirst() {
            guard try onSentence(sentence) else { return }
        }
    }
}

@Suite struct HeldOutTargetTests {
    /// Issue 6's targets on the held-out set, the behaviour users see: 90% top-1 in English (213/235 measured,
    /// 90.6%) and 80% in Swahili (125/141, 88.7%).
    @Test func heldOutTopOneAccuracyMeetsTheIssuesTargets() throws {
        let swahili = TutorEvaluator.evaluate(
            try RepositoryTutor.questions("questions", "sw"), language: "sw", answerer: RepositoryTutor.answerer)
        #expect(swahili.top1Accuracy >= 0.80, "Swahili top-1 \(swahili.top1Accuracy)")
        #expect(swahili.answersStatingMisconception == 0)
        let english = TutorEvaluator.evaluate(
            try RepositoryTutor.questions("questions", "en"), language: "en", answerer: RepositoryTutor.answerer)
        #expect(english.answersStatingMisconception == 0)
        #expect(english.top1Accuracy >= 0.90, "English top-1 \(english.top1Accuracy)")
    }
}
