import Foundation
import Synthesis
import Testing

/// The formant synthesizer: finite, audible, the right length, energy where the targets put it.
@Suite struct SynthesizerTests {
    /// Magnitude of one frequency in a signal (a single DFT bin, Hann-windowed).
    static func magnitude(_ samples: ArraySlice<Float>, frequencyHz: Double, sampleRateHz: Int) -> Double {
        var real = 0.0
        var imaginary = 0.0
        let count = samples.count
        for (offset, sample) in samples.enumerated() {
            let window = 0.5 - 0.5 * cos(2 * Double.pi * Double(offset) / Double(count - 1))
            let phase = 2 * Double.pi * frequencyHz * Double(offset) / Double(sampleRateHz)
            real += Double(sample) * window * cos(phase)
            imaginary -= Double(sample) * window * sin(phase)
        }
        return (real * real + imaginary * imaginary).squareRoot()
    }

    /// One sustained phoneme at a steady pitch, rendered with a voice.
    static func sustained(_ symbol: String, voice: Voice, milliseconds: Double, sampleRateHz: Int) throws -> [Float] {
        let target = try #require(TestResources.targets.target(symbol, language: .swahili))
        let segment = Segment(
            symbol: symbol, target: target, durationMilliseconds: milliseconds,
            startPitchHz: voice.pitchHz, endPitchHz: voice.pitchHz, stress: .primary)
        let frames = FrameBuilder.frames([segment], voice: voice, aspirateStops: false)
        var synthesizer = try FormantSynthesizer(sampleRateHz: sampleRateHz, voice: voice)
        var samples: [Float] = []
        synthesizer.render(frames[...], into: &samples)
        return samples
    }

    static func voice(_ name: String) throws -> Voice {
        try Voice.load(named: name, folder: TestResources.repository.appendingPathComponent("Voices"))
    }

    @Test(arguments: [16_000, 22_050])
    func speechIsFiniteAudibleAndAsLongAsItsSegments(sampleRateHz: Int) throws {
        let synthesizer = try TestResources.synthesizer(.swahili, sampleRateHz: sampleRateHz)
        let utterance = try synthesizer.analyse("Mwanga ni nishati.")
        let audio = try synthesizer.synthesize("Mwanga ni nishati.")
        #expect(audio.sampleRateHz == sampleRateHz)
        #expect(audio.samples.allSatisfy { $0.isFinite && abs($0) <= 1 })
        let milliseconds = utterance.segments.reduce(0) { $0 + $1.durationMilliseconds }
        let expected = Double(sampleRateHz) * milliseconds / 1000
        #expect(abs(Double(audio.samples.count) - expected) <= Double(sampleRateHz) * 0.005 + 1)
        let rms = (audio.samples.reduce(0) { $0 + Double($1 * $1) } / Double(audio.samples.count)).squareRoot()
        #expect(rms > 0.01, "rms \(rms)")
    }

    @Test func aSustainedAHasItsStrongestLowHarmonicNearTheVoicesF1() throws {
        let voice = try Self.voice("deep")  // formant scale 1: F1 of Swahili a is 700 Hz
        let samples = try Self.sustained("a", voice: voice, milliseconds: 600, sampleRateHz: 16_000)
        let middle = samples[(samples.count / 4)..<(samples.count * 3 / 4)]
        var best = (frequency: 0.0, magnitude: 0.0)
        var harmonic = voice.pitchHz
        while harmonic < 1400 {
            let value = Self.magnitude(middle, frequencyHz: harmonic, sampleRateHz: 16_000)
            if value > best.magnitude { best = (harmonic, value) }
            harmonic += voice.pitchHz
        }
        #expect(abs(best.frequency - 700) <= voice.pitchHz, "peak at \(best.frequency) Hz")
    }

    @Test func aSustainedIHasMoreEnergyNearItsF2ThanAnAHas() throws {
        let voice = try Self.voice("deep")
        let i = try Self.sustained("i", voice: voice, milliseconds: 400, sampleRateHz: 16_000)
        let a = try Self.sustained("a", voice: voice, milliseconds: 400, sampleRateHz: 16_000)
        func ratio(_ samples: [Float]) -> Double {
            let middle = samples[(samples.count / 4)..<(samples.count * 3 / 4)]
            let high = Self.magnitude(middle, frequencyHz: voice.pitchHz * 19, sampleRateHz: 16_000)  // ~2185 Hz
            let low = Self.magnitude(middle, frequencyHz: voice.pitchHz * 6, sampleRateHz: 16_000)  // ~690 Hz
            return high / max(low, 1e-9)
        }
        #expect(ratio(i) > 4 * ratio(a), "i \(ratio(i)), a \(ratio(a))")
    }

    @Test func anSHasItsEnergyAboveThreeKilohertz() throws {
        let voice = try Self.voice("kind")
        let samples = try Self.sustained("s", voice: voice, milliseconds: 300, sampleRateHz: 22_050)
        let middle = samples[(samples.count / 4)..<(samples.count * 3 / 4)]
        let high = stride(from: 4000.0, to: 8000, by: 250).map {
            Self.magnitude(middle, frequencyHz: $0, sampleRateHz: 22_050)
        }.reduce(0, +)
        let low = stride(from: 250.0, to: 2000, by: 125).map {
            Self.magnitude(middle, frequencyHz: $0, sampleRateHz: 22_050)
        }.reduce(0, +)
        #expect(high > 3 * low, "high \(high), low \(low)")
    }

    @Test func theSameTextGivesTheSameSamples() throws {
        let synthesizer = try TestResources.synthesizer(.swahili)
        #expect(try synthesizer.synthesize("Jua ni moto.") == synthesizer.synthesize("Jua ni moto."))
    }

    @Test func slowerRateMakesLongerSpeech() throws {
        let normal = try TestResources.synthesizer(.swahili, rate: 1).synthesize("Jua ni moto sana.")
        let slow = try TestResources.synthesizer(.swahili, rate: 0.8).synthesize("Jua ni moto sana.")
        let ratio = Double(slow.samples.count) / Double(normal.samples.count)
        #expect(ratio > 1.2 && ratio < 1.3, "ratio \(ratio)")
    }

    @Test func aYesNoQuestionEndsHigherThanAStatement() throws {
        let synthesizer = try TestResources.synthesizer(.swahili)
        func lastPitch(_ text: String) throws -> Double {
            let segments = try synthesizer.analyse(text).segments.filter { $0.target != nil }
            return try #require(segments.last).endPitchHz
        }
        #expect(try lastPitch("Jua ni moto?") > 1.3 * lastPitch("Jua ni moto."))
    }

    @Test func voicingRisesAfterAPauseAndDiesAwayBeforeOne() throws {
        // A voice at full strength from its first frame is heard as a stop or an h before the vowel ("energy" as
        // "henry").
        let frames = try TestResources.synthesizer(.english).analyse("Energy is more.").frames
        let voiced = frames.indices.filter { frames[$0].voicing > 0 }
        let (first, last) = (try #require(voiced.first), try #require(voiced.last))
        let strongest = voiced.map { frames[$0].voicing }.max() ?? 0
        #expect(frames[first].voicing < 0.3 * strongest, "first voiced frame \(frames[first].voicing)")
        #expect(frames[first + 4].voicing > 0.6 * strongest, "20 ms later \(frames[first + 4].voicing)")
        #expect(frames[last].voicing < 0.3 * strongest, "last voiced frame \(frames[last].voicing)")
    }

    @Test func aVelarBurstHasItsNoiseNearTheFollowingVowelsSecondFormant() throws {
        // /k/ before /ɑ/ releases into a compact mid-frequency burst (about F2), not a hiss above 4 kHz like /t/.
        let frames = try TestResources.synthesizer(.english).analyse("kaa.").frames
        let burst = try #require(frames.first { $0.frication > 0 })
        #expect(burst.parallel.0 > burst.parallel.2 && burst.parallel.0 > burst.parallel.3, "\(burst.parallel)")
    }

    @Test func englishAspiratesAStopBeforeAStressedVowelButHardlyAfterS() throws {
        // "peed" has a puff of breath before the vowel; in "speed" a puff that long is heard as "feed".
        let synthesizer = try TestResources.synthesizer(.english)
        func aspiratedFrames(_ text: String) throws -> Int {
            // Breath on voicing is far weaker: only a stop's aspiration (or an h) is this strong and voiceless.
            try synthesizer.analyse(text).frames.filter { $0.voicing == 0 && $0.aspiration > 0.5 }.count
        }
        #expect(try aspiratedFrames("peed.") >= 5)
        #expect(try aspiratedFrames("speed.") <= 2)
    }
}
