import Foundation
import Testing

@testable import Tutor

/// The 20 core topics in Chichewa, Zulu, Hausa, Yoruba, Hindi and Urdu, as the tutor says them.
enum CoreLanguages {
    /// The six languages written for the core topics only.
    static let written = TutorLanguage.all.filter { !$0.coversEveryTopic }.map(\.code)

    /// The 20 core topic ids, as listed in `Curriculum/README.md`.
    static let coreIDs: [String] = {
        let readme =
            (try? String(
                contentsOf: RepositoryCurriculum.root.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
        let section = readme.components(separatedBy: "## The 20 core topics").last ?? ""
        return section.split(separator: "\n").filter { $0.hasPrefix("| `") }.map {
            String($0.dropFirst(3).prefix { $0 != "`" })
        }
    }()

    /// The repository's glossaries in every language.
    static let glossary: Result<Glossary, any Error> = Result {
        try GlossaryParser.load(
            lexiconsFolder: RepositoryTutor.root.appendingPathComponent("Lexicons"), languages: TutorLanguage.codes)
    }

    /// An answerer indexing every curriculum language, as `tutor ask` builds it.
    static let answerer: TutorAnswerer = {
        let glossary = (try? CoreLanguages.glossary.get()) ?? .empty
        let retriever = TopicRetriever(
            curriculum: RepositoryTutor.curriculum, glossary: glossary, languages: TutorLanguage.codes)
        return TutorAnswerer(curriculum: RepositoryTutor.curriculum, glossary: glossary, retriever: retriever)
    }()
}

@Suite struct CoreLanguagesTests {
    let curriculum = RepositoryTutor.curriculum

    @Test(arguments: CoreLanguages.written)
    func eachWrittenLanguageHasExactlyTheTwentyCoreTopicsAwaitingReview(language: String) {
        #expect(CoreLanguages.coreIDs.count == 20)
        let topics = curriculum.topics(in: language)
        #expect(topics.map(\.id).sorted() == CoreLanguages.coreIDs.sorted())
        for topic in topics {
            #expect(topic.review == CurriculumLoader.reviewPending, "\(topic.sourcePath)")
            #expect(topic.related.allSatisfy { curriculum.listing.map(\.id).contains($0) }, "\(topic.sourcePath)")
        }
    }

    @Test(arguments: CoreLanguages.written)
    func safetyMessagesAreTranslatedWhereverTheEnglishTopicHasOne(language: String) {
        for topic in curriculum.topics(in: language) {
            let english = curriculum.topic(topic.id, language: "en")
            #expect((topic.safety == nil) == (english?.safety == nil), "\(topic.sourcePath)")
        }
    }

    @Test func theSixLanguagesAreTheOnesTheCurriculumReadmeNames() {
        #expect(CoreLanguages.written == ["ny", "zu", "ha", "yo", "hi", "ur"])
    }

    @Test func everyGlossaryLoadsAndEachWrittenLanguageHasItsOwnForms() throws {
        let glossary = try CoreLanguages.glossary.get()
        for language in CoreLanguages.written {
            #expect(glossary.concepts(in: language).count >= 20, "Lexicons/\(language)/glossary")
            #expect(!glossary.dangers.filter { $0.language == language }.isEmpty, "Lexicons/\(language)/glossary")
        }
    }

    /// A child asks in English (a Chichewa or Zulu child must: no recognizer knows their language) and hears the
    /// curated answer in their own language, safety message first, every key term in it.
    @Test(arguments: CoreLanguages.written)
    func anEnglishQuestionIsAnsweredInTheChildsLanguage(language: String) throws {
        for id in CoreLanguages.coreIDs {
            let english = try #require(curriculum.topic(id, language: "en"))
            let target = try #require(curriculum.topic(id, language: language))
            let answer = CoreLanguages.answerer.answer(english.asks[0], replyingIn: language)
            #expect(answer.topicID == id, "\(english.asks[0])")
            #expect(answer.language == language)
            #expect(answer.text == [target.safety, target.answer].compactMap { $0 }.joined(separator: " "))
            for term in target.terms {
                #expect(answer.body.lowercased().contains(term.lowercased()), "\(target.sourcePath): \(term)")
            }
        }
    }

    @Test func aTopicNotWrittenInTheChildsLanguageIsAnsweredInTheLanguageOfTheQuestion() throws {
        let language = try #require(CoreLanguages.written.first)
        let answer = CoreLanguages.answerer.answer("how does a magnet work", replyingIn: language)
        #expect(answer.topicID == "magnets")
        #expect(answer.language == "en")
        #expect(answer.body == curriculum.topic("magnets", language: "en")?.answer)
    }

    @Test func anOffTopicQuestionIsRefusedInTheChildsLanguage() throws {
        for language in CoreLanguages.written {
            let answer = CoreLanguages.answerer.answer("who is the president of kenya", replyingIn: language)
            #expect(answer.kind == .unknown)
            #expect(answer.language == language)
            #expect(answer.text.hasPrefix(TutorPhrases.dontKnow(language)))
        }
    }

    @Test func aQuestionAboutADangerGetsTheSafetyMessageInTheChildsLanguage() throws {
        for language in CoreLanguages.written {
            let mains = try #require(curriculum.topic("mains-safety", language: language))
            let answer = CoreLanguages.answerer.answer("can i put a nail in the wall socket", replyingIn: language)
            #expect(answer.safety == mains.safety, "\(language)")
        }
    }

    @Test func hindiAndUrduAnswersAreSpokenSentenceBySentenceAtTheirFullStops() throws {
        for language in ["hi", "ur"] {
            let answer = try #require(curriculum.topic("gravity", language: language)).answer
            let sentences = AnswerSentences.split(answer)
            #expect(sentences.count == 3, "\(language): \(sentences)")
            #expect(sentences.allSatisfy { $0.hasSuffix(language == "hi" ? "।" : "۔") })
        }
    }

    @Test func aZuluConversationAnswersFollowUpsAskedInEnglishFromTheZuluTopic() throws {
        let zulu = try #require(curriculum.topic("sky-blue", language: "zu"))
        var conversation = TutorConversation(answerer: CoreLanguages.answerer)
        let first = conversation.respond(to: "why is the sky blue", language: "zu")
        #expect(first.topicID == "sky-blue")
        #expect(first.language == "zu")
        #expect(conversation.respond(to: "why?", language: "zu").text == zulu.why)
        #expect(conversation.respond(to: "I don't understand", language: "zu").text == zulu.simpler)
    }

    /// Recognized and typed questions mostly lack tone marks and short-vowel signs; they still find the topic.
    @Test func questionsWithoutMarksFindTheirTopic() {
        let questions = [
            ("yo", "kilode ti oju orun fi je aro", "sky-blue"),
            ("yo", "bawo ni osumare se n sele", "rainbows"),
            ("ha", "me ya sa walkiya ke faduwa kan bishiyoyi", "lightning"),
            ("ur", "آسمان نیلا کیوں ہے", "sky-blue"),
            ("ur", "قوس قزح کیسے بنتی ہے", "rainbows"),
        ]
        for (language, question, id) in questions {
            let answer = CoreLanguages.answerer.answer(question, replyingIn: language)
            #expect(answer.topicID == id, "\(language): \(question)")
            #expect(answer.language == language)
        }
    }

    /// Every way of asking written in a language finds its own topic when the question is typed in that language.
    @Test(arguments: CoreLanguages.written)
    func eachAskLineFindsItsTopicInItsOwnLanguage(language: String) {
        var misses: [String] = []
        for topic in curriculum.topics(in: language) {
            for ask in topic.asks {
                let answer = CoreLanguages.answerer.answer(ask, replyingIn: language)
                if answer.topicID != topic.id || answer.language != language {
                    misses.append("\(topic.sourcePath): '\(ask)' -> \(answer.topicID ?? "none") (\(answer.language))")
                }
            }
        }
        #expect(misses == [])
    }
}
