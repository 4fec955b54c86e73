import Foundation
import Testing

@Suite struct AskCommandTests {
    @Test func askPrintsTheSafetyMessageThenTheAnswerAndNotesThatSpeechIsNotBuilt() throws {
        let result = try TutorProcess.run(["ask", "--text", "why is the sky blue"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.hasPrefix("Never look straight at the Sun"))
        #expect(result.output.contains("scatter blue light"))
        #expect(result.error.contains("speech is not built yet"))
    }

    @Test func askAnswersASwahiliQuestionInSwahiliAndRefusesAnOffTopicOne() throws {
        let swahili = try TutorProcess.run(["ask", "--text", "kwa nini anga ni la buluu", "--lang", "sw", "--no-speak"])
        #expect(swahili.status == 0)
        #expect(swahili.output.contains("buluu"))
        #expect(swahili.error.isEmpty)
        let offTopic = try TutorProcess.run(["ask", "--text", "who is the president of kenya", "--no-speak"])
        #expect(offTopic.output.hasPrefix("I don't know that one yet."))
    }

    @Test func askRejectsAnUnknownLanguage() throws {
        let result = try TutorProcess.run(["ask", "--text", "why", "--lang", "xx"])
        #expect(result.status != 0)
        #expect(result.error.contains("--lang must be en, sw or auto"))
    }

    @Test func evalTutorPrintsJSONForTheDevSet() throws {
        let result = try TutorProcess.run(["eval", "tutor", "--set", "dev", "--lang", "en", "--json"])
        #expect(result.status == 0, "\(result.error)")
        let reports = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]]
        #expect(reports?.first?["language"] as? String == "en")
        #expect(reports?.first?["answersStatingMisconception"] as? Int == 0)
        #expect(reports?.first?["modelWrittenShare"] as? String == "n/a: language model not built")
    }
}
