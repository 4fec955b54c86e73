import Audio
import Foundation
import Testing
import TutorCore

/// The echo canceller against rooms made of known paths, at 16 kHz.
@Suite struct EchoCancellerTests {
    /// Speech-like: coloured noise (one pole at 0.9, most energy low) whose level rises and falls four times a
    /// second like syllables, peaking near -15 dBFS.
    static func speechLike(count: Int, seed: UInt64) -> [Float] {
        var random = SplitMix64(seed: seed)
        var previous: Float = 0
        return (0..<count).map { index in
            let white = Float(random.next() % 20_001) / 10_000 - 1
            previous = 0.9 * previous + 0.1 * white
            let syllable = 0.55 + 0.45 * sinf(2 * .pi * 4 * Float(index) / 16_000)
            return 2.2 * previous * syllable
        }
    }

    /// The room: the speaker's sound reaches the microphone `delay` samples late at `gain`, with a reflection
    /// 90 samples after that at a third of the gain.
    static func echo(of played: [Float], delay: Int, gain: Float) -> [Float] {
        (0..<played.count).map { index in
            let direct = index >= delay ? played[index - delay] : 0
            let reflection = index >= delay + 90 ? played[index - delay - 90] : 0
            return gain * direct + gain / 3 * reflection
        }
    }

    static func decibels(_ samples: ArraySlice<Float>) -> Float {
        10 * log10f(samples.reduce(0) { $0 + $1 * $1 } / Float(max(samples.count, 1)) + 1e-12)
    }

    /// Runs the canceller over `microphone` in 512-sample blocks, the reference aligned so that the filter's
    /// newest tap is the sample played `lead` samples before the echo's bulk delay would bring it; the residual.
    static func cancel(
        _ canceller: inout EchoCanceller, microphone: [Float], played: [Float], delay: Int, lead: Int = 32,
        adapt: (Int) -> Bool = { _ in true }
    ) -> [Float] {
        let taps = canceller.options.taps
        var residual: [Float] = []
        var block: [Float] = []
        for start in stride(from: 0, to: microphone.count - 511, by: 512) {
            let newest = start - delay + lead
            let history = (0..<(512 + taps - 1)).map { offset -> Float in
                let index = newest - (taps - 1) + offset
                return played.indices.contains(index) ? played[index] : 0
            }
            let mic = Array(microphone[start..<(start + 512)])
            mic.withUnsafeBufferPointer { mic in
                history.withUnsafeBufferPointer { history in
                    _ = canceller.process(microphone: mic, reference: history, adapt: adapt(start), into: &block)
                }
            }
            residual += block
        }
        return residual
    }

    @Test func theBoxsVoiceThroughTheRoomIsTakenOutByTwentyFiveDecibelsWithinASecond() {
        let played = Self.speechLike(count: 32_000, seed: 1)
        let microphone = Self.echo(of: played, delay: 800, gain: 0.32)
        var canceller = EchoCanceller()
        let residual = Self.cancel(&canceller, microphone: microphone, played: played, delay: 800)
        let lastHalf = 16_000..<residual.count
        let cancellation = Self.decibels(microphone[lastHalf]) - Self.decibels(residual[lastHalf])
        #expect(cancellation >= 25, "cancelled \(cancellation) dB")
        // It learned the room: the direct path at the lead tap, the reflection 90 taps later.
        #expect(abs(canceller.coefficients[32] - 0.32) < 0.03)
        #expect(abs(canceller.coefficients[122] - 0.32 / 3) < 0.03)
    }

    @Test func theChildTalkingOverTheEchoIsWhatIsLeft() {
        let played = Self.speechLike(count: 48_000, seed: 2)
        var microphone = Self.echo(of: played, delay: 800, gain: 0.32)
        // The child, 4 dB below the echo, from block 63 on; the listening loop holds the filter from that block.
        // (A block of the child's speech adapted on would pull the filter a quarter of the way off the room.)
        let onset = 63 * 512
        let child = Self.speechLike(count: 48_000 - onset, seed: 3).map { $0 * 0.2 }
        for index in child.indices { microphone[onset + index] += child[index] }
        var canceller = EchoCanceller()
        let residual = Self.cancel(&canceller, microphone: microphone, played: played, delay: 800) { $0 < onset }
        let childPart = onset..<residual.count
        let error = zip(residual[childPart], child).map { $0 - $1 }
        let childLevel = Self.decibels(child[0..<childPart.count])
        #expect(Self.decibels(error[...]) <= childLevel - 20, "the residual is the child, give or take 20 dB")
        #expect(Self.decibels(residual[childPart]) > Self.decibels(microphone[childPart]) - 6)
    }

    @Test func aNearEndLouderThanHalfTheReferenceHoldsTheFilter() {
        let played = Self.speechLike(count: 8_192, seed: 4)
        let loud = Self.speechLike(count: 8_192, seed: 5).map { $0 * 3 }
        func largestCoefficient(doubleTalkRatio: Float) -> Float {
            var options = EchoCanceller.Options()
            options.doubleTalkRatio = doubleTalkRatio
            var canceller = EchoCanceller(options: options)
            _ = Self.cancel(&canceller, microphone: loud, played: played, delay: 0)
            return canceller.coefficients.map(abs).max() ?? 0
        }
        let unguarded = largestCoefficient(doubleTalkRatio: .infinity)
        let guarded = largestCoefficient(doubleTalkRatio: 0.5)
        // Only the samples before the first loud one may move it: a sixth of what double talk does unguarded.
        #expect(guarded < unguarded / 4, "double talk moved the filter to \(guarded) (\(unguarded) unguarded)")
    }

    @Test func theEchosDelayAndGainAreFoundByCrossCorrelation() throws {
        let played = Self.speechLike(count: 16_000 + 4_000, seed: 6)
        let heard = Self.echo(of: played, delay: 1_234, gain: 0.25)
        // Microphone block: the last 16 000 samples; the reference covers it and 4 000 samples of lag before it.
        let microphone = Array(heard[4_000...])
        let found = try #require(
            EchoCanceller.estimateDelay(microphone: microphone, reference: played, maximumLag: 4_000))
        #expect(found.lag == 1_234)
        #expect(abs(found.gain - 0.25) < 0.05)
        // Something else entirely (a fan's steady noise): no delay is made up.
        let unrelated = TestSignals.noise(count: 16_000, amplitude: 0.1, seed: 7)
        #expect(EchoCanceller.estimateDelay(microphone: unrelated, reference: played, maximumLag: 4_000) == nil)
    }
}
