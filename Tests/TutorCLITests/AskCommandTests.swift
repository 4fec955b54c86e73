import Foundation
import Testing

@Suite struct AskCommandTests {
    @Test func askPrintsTheSafetyMessageThenTheCuratedAnswer() throws {
        let result = try TutorProcess.run(["ask", "--text", "why is the sky blue", "--curated", "--no-speak"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.hasPrefix("Never look straight at the Sun"))
        #expect(result.output.contains("scatter blue light"))
    }

    @Test func aSpokenEnglishQuestionGetsASpokenAnswerThatOurRecognizerHearsBack() throws {
        let folder = try TutorProcess.temporaryFolder()
        let answer = folder.appendingPathComponent("answer.wav")
        let result = try TutorProcess.run([
            "ask", "Samples/sky-blue-en-us-160.flac", "--lang", "en", "--curated", "-o", answer.path, "--timings",
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("topic: sky-blue (en)"))
        #expect(result.error.contains("end of question to first answer sample"))
        #expect(result.output.contains("scatter"))
        // The spoken answer, heard by our own recognizer: the answer's key words come back.
        let heard = try TutorProcess.run(["transcribe", answer.path, "--model", "tiny.en"])
        #expect(heard.status == 0, "\(heard.error)")
        let words = heard.output.lowercased()
        #expect(words.contains("sun") && words.contains("blue") && words.contains("light"), "heard: \(heard.output)")
    }

    @Test func aSpokenSwahiliQuestionIsMatchedToItsTopicByScoringKnownQuestionForms() throws {
        let result = try TutorProcess.run([
            "ask", "Samples/magnet-nails-sw-f-130.flac", "--lang", "sw", "--no-speak", "--timings",
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("topic: magnets (sw)"))
        #expect(result.output.contains("Sumaku"))
    }

    @Test func inEnglishTheLanguageModelWritesTheAnswerAndEverySentenceIsChecked() throws {
        let result = try TutorProcess.run([
            "ask", "--text", "why is the sky blue", "--lang", "en", "--no-speak", "--timings",
            "--max-answer-tokens", "24",
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("answer: model"), "\(result.error)")
        #expect(result.output.hasPrefix("Never look straight at the Sun"))
        // Whatever the model wrote, the curated sentences holding missing key terms complete it.
        #expect(result.output.lowercased().contains("scatter"))
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
        #expect(result.error.contains("--lang must be one of en, sw, ny, zu, ha, yo, hi, ur or auto (found 'xx')"))
    }

    @Test func aZuluChildAsksInEnglishAndHearsTheCuratedZuluAnswer() throws {
        let result = try TutorProcess.run([
            "ask", "--text", "why is the sky blue", "--lang", "zu", "--no-speak", "--timings",
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("topic: sky-blue (zu); answer: curated"), "\(result.error)")
        #expect(result.output.hasPrefix("Ungalokothi ubheke iLanga ngqo"))
        #expect(result.output.contains("okuluhlaza okwesibhakabhaka"))
    }

    @Test func aQuestionTypedInHindiIsAnsweredInHindi() throws {
        let result = try TutorProcess.run([
            "ask", "--text", "आसमान नीला क्यों है", "--lang", "hi", "--no-speak", "--timings",
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("topic: sky-blue (hi); answer: curated"), "\(result.error)")
        #expect(result.output.contains("नीली रोशनी"))
    }

    @Test func evalTutorPrintsJSONForTheDevSet() throws {
        let result = try TutorProcess.run(["eval", "tutor", "--set", "dev", "--lang", "en", "--curated", "--json"])
        #expect(result.status == 0, "\(result.error)")
        let reports = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]]
        #expect(reports?.first?["language"] as? String == "en")
        #expect(reports?.first?["answersStatingMisconception"] as? Int == 0)
        #expect(reports?.first?["modelWrittenShare"] as? String == "n/a: no language model in this run")
    }

    @Test func evalTutorLetsTheLanguageModelWriteEnglishAnswersAndCountsThoseKeptWhole() throws {
        let report = try firstJSONReport([
            "eval", "tutor", "--set", "dev", "--lang", "en", "--limit", "2", "--max-answer-tokens", "24", "--json",
        ])
        #expect(report["questions"] as? Int == 2)
        #expect(report["modelAnswers"] as? Int == report["answersGiven"] as? Int)
        #expect((report["modelAnswers"] as? Int ?? 0) > 0)
        #expect(report["answersStatingMisconception"] as? Int == 0)
        #expect((report["modelWrittenShare"] as? String)?.hasSuffix("(kept whole)") == true)
    }
}

/// Runs a `--json` evaluation and returns its first language's report, failing the test when the run fails.
func firstJSONReport(_ arguments: [String]) throws -> [String: Any] {
    let result = try TutorProcess.run(arguments)
    #expect(result.status == 0, "\(result.error)")
    let reports = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]]
    return try #require(reports?.first)
}

@Suite struct EvalTutorSpokenTests {
    /// Two dev questions spoken by espeak-ng with noise, recognized by Whisper tiny.en: the command's figures come out,
    /// and the clips are kept in the cache under names that say the voice, rate and noise.
    @Test func theSpokenEvaluationReportsTranscriptAndCombinedAccuracy() throws {
        let report = try firstJSONReport([
            "eval", "tutor", "--spoken", "--set", "dev", "--lang", "en", "--limit", "2", "--json", "--misses",
        ])
        #expect(report["questions"] as? Int == 2)
        #expect(report["recognizer"] as? String == "whisper tiny.en")
        let transcriptRight = report["transcriptTop1Correct"] as? Int ?? -1
        let combinedRight = report["combinedTop1Correct"] as? Int ?? -1
        let misses = report["misses"] as? [[String: Any]] ?? []
        // Every topic question is either right or listed as a miss, with what Whisper heard.
        #expect(transcriptRight >= 0 && combinedRight >= 0)
        #expect(misses.count >= 2 - min(transcriptRight, combinedRight))
        let folder = try #require(report["clipFolder"] as? String)
        let clips = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(clips.contains { $0.hasPrefix("2-en-us-130-snr25-") && $0.hasSuffix(".flac") }, "\(clips)")
    }
}
