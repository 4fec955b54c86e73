import Synthesis
import Testing

/// Durations, pauses and pitch: lengthening, declination and the shape of questions.
@Suite struct ProsodyTests {
    let synthesizer = try! TestResources.synthesizer(.swahili)

    func segments(_ text: String) throws -> [Segment] { try synthesizer.analyse(text).segments }

    func vowels(_ text: String) throws -> [Segment] {
        try segments(text).filter { $0.target?.phonemeClass.isSyllabic == true }
    }

    @Test func theLastSyllableOfAPhraseIsLengthened() throws {
        // "tatu" ends the first phrase and starts the second: its last vowel is longer at the end.
        let final = try vowels("moja tatu.").last!
        let medial = try vowels("tatu moja.")[1]
        #expect(final.symbol == "u" && medial.symbol == "u")
        #expect(final.durationMilliseconds > 1.3 * medial.durationMilliseconds)
    }

    @Test func aStressedVowelIsLongerThanTheSameVowelUnstressed() throws {
        // In "kasa", not at the end of the phrase, the first a is stressed and the second is not.
        let word = try vowels("kasa sana.")
        #expect(word[0].stress == .primary && word[1].stress == .none)
        #expect(word[0].durationMilliseconds > 1.2 * word[1].durationMilliseconds)
    }

    @Test func aFullStopPausesLongerThanAComma() throws {
        let pauses = try segments("Jua, moto. Maji.").filter { $0.target == nil }
        // Leading silence, the comma's pause, the full stop's, the last.
        #expect(pauses.count == 4)
        #expect(pauses[2].durationMilliseconds > 1.5 * pauses[1].durationMilliseconds)
    }

    @Test func pitchDeclinesAcrossAStatement() throws {
        let accented = try vowels("Mama analima shamba kubwa sana leo asubuhi.")
        #expect(accented.first!.startPitchHz > accented.dropLast().last!.startPitchHz)
    }

    @Test func aYesNoQuestionRisesAndAQuestionWordQuestionFalls() throws {
        let yesNo = try vowels("Je, jua ni moto?").last!
        let what = try vowels("Nini jua?").last!
        #expect(yesNo.endPitchHz > yesNo.startPitchHz)
        #expect(what.endPitchHz < what.startPitchHz)
    }

    @Test func aSlowerRateStretchesEverySegment() throws {
        let slow = try TestResources.synthesizer(.swahili, rate: 0.8).analyse("Jua ni moto.").segments
        let normal = try segments("Jua ni moto.")
        // The leading silence is fixed; everything spoken and every pause stretches.
        for (a, b) in zip(slow, normal).dropFirst() {
            #expect(abs(a.durationMilliseconds - b.durationMilliseconds / 0.8) < 0.001)
        }
    }
}
