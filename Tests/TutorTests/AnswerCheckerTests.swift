import Testing
import TutorCore

@testable import Tutor

/// A language-model stand-in that emits fixed sentences and records whether it was stopped.
struct FakeGenerator: TextGenerating {
    var sentences: [String]
    var emitted = 0
    var requests: [TextGenerationRequest] = []

    mutating func generate(_ request: TextGenerationRequest, onSentence: (String) throws -> Bool) throws {
        requests.append(request)
        for sentence in sentences.prefix(request.maximumSentences) {
            emitted += 1
            guard try onSentence(sentence) else { return }
        }
    }
}

@Suite struct AnswerCheckerTests {
    let skyBlue = RepositoryTutor.curriculum.topic("sky-blue", language: "en")!

    @Test func catchesASentenceStatingAMarkedMisconception() {
        let checker = AnswerChecker(topic: skyBlue)
        let failure = checker.check("The sky is blue because it reflects the blue sea.")
        #expect(failure == .statesMisconception("The sky is blue because it reflects the sea."))
    }

    @Test func passesTheCuratedAnswerSentences() {
        let checker = AnswerChecker(topic: skyBlue)
        for sentence in AnswerSentences.split(skyBlue.answer) {
            #expect(checker.check(sentence) == nil, "\(sentence)")
        }
    }

    @Test func aNegatedMisconceptionIsNotStatingIt() {
        let moon = RepositoryTutor.curriculum.topic("moon-phases", language: "en")!
        let checker = AnswerChecker(topic: moon)
        #expect(checker.check("The Moon makes no light of its own.") == nil)
    }

    @Test func aNegationOfAKeyTermThatTheCuratedTextSaysItselfIsNoContradiction() throws {
        // energy-conservation's answer says its term `destroyed` as `never destroyed`; sky-blue's says `no air to
        // scatter` of the Moon, but never `not scatter`.
        let energy = try #require(RepositoryTutor.curriculum.topic("energy-conservation", language: "en"))
        #expect(AnswerChecker(topic: energy).check("Energy is never made from nothing and never destroyed.") == nil)
        #expect(AnswerChecker(topic: energy).check("Heat is not energy at all.") == .contradictsKeyTerm("energy"))
        let sky = AnswerChecker(topic: skyBlue)
        #expect(sky.check("The Moon has no air to scatter sunlight, so its sky is black.") == nil)
        #expect(sky.check("The air does not scatter any light.") == .contradictsKeyTerm("scatter"))
    }

    @Test func catchesAContradictedKeyTermAnOffTopicSentenceAndATooLongOne() {
        let checker = AnswerChecker(topic: skyBlue)
        #expect(checker.check("The air does not scatter blue light at all.") == .contradictsKeyTerm("scatter"))
        if case .offTopic = checker.check("Footballs are kicked by players in the stadium every weekend.") {
        } else {
            Issue.record("an off-topic sentence passed")
        }
        let long = Array(repeating: "sunlight", count: 31).joined(separator: " ") + "."
        #expect(checker.check(long) == .tooLong(words: 31))
    }

    @Test func noCuratedAnswerInEnglishOrSwahiliIsFlaggedAsAMisconception() {
        for language in ["en", "sw"] {
            for topic in RepositoryTutor.curriculum.topics(in: language) {
                let checker = AnswerChecker(topic: topic)
                for sentence in AnswerSentences.split(topic.answer) {
                    if case .statesMisconception(let line) = checker.check(sentence) {
                        Issue.record("\(topic.sourcePath): '\(sentence)' flagged as '\(line)'")
                    }
                }
            }
        }
    }

    @Test func splitsSentencesButNotDecimalNumbers() {
        let sentences = AnswerSentences.split("It is 9.8 metres. Really? Yes!")
        #expect(sentences == ["It is 9.8 metres.", "Really?", "Yes!"])
    }
}

@Suite struct GroundedAnswerWriterTests {
    let skyBlue = RepositoryTutor.curriculum.topic("sky-blue", language: "en")!
    let writer = GroundedAnswerWriter()

    @Test func keepsAGoodModelAnswerWhole() throws {
        var generator = FakeGenerator(sentences: [
            "Sunlight is a mix of all the colours.",
            "The air can scatter blue light much more than red light, so blue comes from all over the sky.",
        ])
        let answer = try writer.write(question: "why is the sky blue", topic: skyBlue, generator: &generator)
        #expect(answer.authorship == .modelWhole)
        #expect(answer.sentences.count == 2)
        #expect(answer.safety == skyBlue.safety)
        #expect(generator.requests.first?.systemPrompt == GroundedAnswerWriter.systemPrompt)
    }

    @Test func aModelAnswerSayingAKeyTermInAnotherFormIsKeptWhole() throws {
        // The mirror topic's terms are `reflection`, `bounces` and `mirror`: said here as `bouncing`, which does not
        // contain `bounces`.
        let mirrors = try #require(RepositoryTutor.curriculum.topic("mirrors", language: "en"))
        var generator = FakeGenerator(sentences: [
            "A mirror is very smooth and shiny.",
            "Light coming to it is bouncing straight back, and that is called reflection.",
        ])
        let answer = try writer.write(question: "how does a mirror work", topic: mirrors, generator: &generator)
        #expect(answer.failure == nil)
        #expect(answer.authorship == .modelWhole)
        #expect(answer.sentences.count == 2)
    }

    @Test func keyTermsAreSaidByStemInARowOrAsWrittenInsideAWord() {
        #expect(KeyTerms.isSaid("sockets", in: "Never touch the socket.", language: "en"))
        #expect(KeyTerms.isSaid("bounces", in: "Light is bouncing off it.", language: "en"))
        #expect(!KeyTerms.isSaid("blue light", in: "Blue is a colour of light.", language: "en"))
        #expect(!KeyTerms.isSaid("scatter", in: "The air spreads light.", language: "en"))
        // Zulu terms may be part of a longer word (`mvula` in `njengemvula`).
        #expect(KeyTerms.isSaid("mvula", in: "Kuna njengemvula.", language: "zu"))
        #expect(KeyTerms.missing(["sockets", "wet"], in: "Never touch a socket.", language: "en") == ["wet"])
    }

    @Test func aVerbSaysTheKeyTermOfItsNounButAnotherWordDoesNot() {
        #expect(KeyTerms.isSaid("evaporation", in: "The sun makes the water evaporate.", language: "en"))
        #expect(KeyTerms.isSaid("refraction", in: "Light refracts as it goes into water.", language: "en"))
        #expect(KeyTerms.isSaid("vibrates", in: "You hear the vibration of the drum.", language: "en"))
        #expect(KeyTerms.isSaid("water vapour", in: "Water vapours rise.", language: "en"))
        #expect(!KeyTerms.isSaid("evaporation", in: "The water vapour goes up into the air.", language: "en"))
        #expect(!KeyTerms.isSaid("conduction", in: "The handle is a poor conductor.", language: "en"))
        // Short words keep their endings: `station` is not a form of `st`.
        #expect(KeyTerms.family("station", language: "en") == "station")
        #expect(KeyTerms.family("evaporat", language: "en") == KeyTerms.family("evaporation", language: "en"))
    }

    @Test func stopsAtAMisconceptionSentenceAndFallsBackToTheCuratedText() throws {
        var generator = FakeGenerator(sentences: [
            "Sunlight is a mix of all the colours.",
            "The sky is blue because it reflects the sea.",
            "This sentence must never be asked for.",
        ])
        let answer = try writer.write(question: "why is the sky blue", topic: skyBlue, generator: &generator)
        #expect(generator.emitted == 2)
        #expect(answer.authorship == .modelThenCurated)
        #expect(answer.sentences.first == "Sunlight is a mix of all the colours.")
        #expect(!answer.text.contains("reflects the sea"))
        for term in skyBlue.terms { #expect(answer.text.lowercased().contains(term)) }
        if case .statesMisconception = answer.failure?.reason {} else { Issue.record("no misconception failure") }
    }

    @Test func aFailingFirstSentenceGivesTheWholeCuratedAnswer() throws {
        var generator = FakeGenerator(sentences: ["The air is blue like paint."])
        let answer = try writer.write(question: "why is the sky blue", topic: skyBlue, generator: &generator)
        #expect(answer.authorship == .curated)
        #expect(answer.sentences == AnswerSentences.split(skyBlue.answer))
    }

    @Test func theSafetyMessageComesFirst() throws {
        var generator = FakeGenerator(sentences: ["Sunlight is a mix of colours."])
        let answer = try writer.write(question: "why is the sky blue", topic: skyBlue, generator: &generator)
        #expect(answer.text.hasPrefix(skyBlue.safety!))
    }

    /// What the writer makes of `sentences` from the model for "why is the sky blue", and how many it asked for.
    func skyBlueAnswer(_ sentences: [String]) throws -> (answer: GroundedAnswer, emitted: Int) {
        var generator = FakeGenerator(sentences: sentences)
        let answer = try writer.write(question: "why is the sky blue", topic: skyBlue, generator: &generator)
        return (answer, generator.emitted)
    }

    @Test func aSentenceThatRepeatsAnEarlierOneEndsTheModelsPartUnsaid() throws {
        let (answer, emitted) = try skyBlueAnswer([
            "Sunlight is a mix of all the colours.",
            "So sunlight is a mix of all colours.",
            "This sentence must never be asked for.",
        ])
        #expect(emitted == 2)
        #expect(answer.failure == nil)
        #expect(answer.endingRepeat == "So sunlight is a mix of all colours.")
        #expect(answer.modelSentenceCount == 1)
        #expect(answer.sentences.filter { $0.lowercased().contains("sunlight is a mix") }.count == 1)
        // `scatter` and `blue light` were not said: the curated text adds them, so the answer is not the model's whole.
        #expect(answer.authorship == .modelThenCurated)
        for term in skyBlue.terms { #expect(KeyTerms.isSaid(term, in: answer.text, language: "en")) }
    }

    @Test func anAnswerEndedByARepeatIsKeptWholeWhenItHoldsEveryKeyTerm() throws {
        let answer = try skyBlueAnswer([
            "Sunlight is a mix of all the colours.",
            "The air can scatter blue light much more than red light.",
            "The air can scatter blue light much more than red light.",
        ]).answer
        #expect(answer.authorship == .modelWhole)
        #expect(answer.sentences.count == 2)
        #expect(answer.endingRepeat == "The air can scatter blue light much more than red light.")
    }

    @Test func aRepeatAfterSentencesWithoutAKeyTermStillFailsTheAnswer() throws {
        let answer = try skyBlueAnswer(["The sky is a big dome of air above us.", "The sky is a big dome of air."])
            .answer
        #expect(answer.endingRepeat == nil)
        #expect(answer.failure?.reason == .repeatsEarlierSentence("The sky is a big dome of air above us."))
        #expect(answer.authorship == .modelThenCurated)
    }

    @Test func aCopyOfTheWorkedExampleIsNotSaid() throws {
        let colours = try #require(RepositoryTutor.curriculum.topic("colours-of-things", language: "en"))
        var generator = FakeGenerator(sentences: AnswerSentences.split(GroundedAnswerWriter.example.assistant))
        let answer = try writer.write(question: "why is a leaf green", topic: colours, generator: &generator)
        #expect(answer.authorship == .curated)
        #expect(answer.sentences == AnswerSentences.split(colours.answer))
        if case .repeatsEarlierSentence = answer.failure?.reason {} else { Issue.record("\(answer.failure as Any)") }
        // The shadows topic's own facts say it, so there it is an answer.
        let shadows = try #require(RepositoryTutor.curriculum.topic("shadows", language: "en"))
        generator = FakeGenerator(sentences: ["Light travels in straight lines."])
        let shadow = try writer.write(question: "how is a shadow made", topic: shadows, generator: &generator)
        #expect(shadow.failure == nil)
        #expect(shadow.sentences.first == "Light travels in straight lines.")
    }

    @Test func theModelIsGivenTheKeyTermsAndTheCurriculumsWordingOfAMisheardQuestion() throws {
        let request = writer.request(question: "why is the sky blew", topic: skyBlue)
        #expect(request.keyTerms == skyBlue.terms)
        #expect(skyBlue.asks.contains(request.question))
        #expect(request.question.hasSuffix("blue"), "\(request.question)")
        #expect(request.userMessage.hasSuffix("\nUse these words: sunlight, scatter, blue light"))
        #expect(request.examples == [GroundedAnswerWriter.example])
        #expect(GroundedAnswerWriter.example.user.hasSuffix("\nUse these words: shadow, blocks, straight lines"))
        let gravity = RepositoryTutor.curriculum.topic("gravity", language: "en")!
        #expect(GroundedAnswerWriter.understoodQuestion("what is gravy tea", topic: gravity).contains("gravity"))
    }
}
