import Foundation
import Testing
import TutorCore

@testable import Audio

@Suite struct CaptureRingTests {
    @Test func samplesComeOutInTheOrderTheyWentIn() {
        let ring = CaptureRing(capacityMilliseconds: 10, sampleRateHz: 1_000, counters: AudioCounters())
        ring.write([1, 2, 3])
        ring.write([4, 5])
        #expect(ring.read(upTo: 4) == [1, 2, 3, 4])
        #expect(ring.read(upTo: 10) == [5])
        #expect(ring.read(upTo: 10) == [])
    }

    @Test func aStalledConsumerLosesTheOldestAudioAndTheDropIsCounted() {
        let counters = AudioCounters()
        // 10 ms at 1 kHz: 10 samples.
        let ring = CaptureRing(capacityMilliseconds: 10, sampleRateHz: 1_000, counters: counters)
        for start in stride(from: 0, to: 25, by: 5) { ring.write((start..<start + 5).map(Float.init)) }
        #expect(counters.droppedFrames == 15)
        #expect(ring.read(upTo: 100) == (15..<25).map(Float.init))
    }

    @Test func aWriteLargerThanTheRingKeepsOnlyItsNewestSamples() {
        let counters = AudioCounters()
        let ring = CaptureRing(capacityMilliseconds: 4, sampleRateHz: 1_000, counters: counters)
        ring.write([9])
        ring.write([1, 2, 3, 4, 5, 6])
        #expect(counters.droppedFrames == 3)
        #expect(ring.read(upTo: 100) == [3, 4, 5, 6])
    }

    @Test func wrappingAroundTheEndKeepsTheOrder() {
        let ring = CaptureRing(capacityMilliseconds: 4, sampleRateHz: 1_000, counters: AudioCounters())
        ring.write([1, 2, 3])
        #expect(ring.read(upTo: 2) == [1, 2])
        ring.write([4, 5, 6])
        #expect(ring.read(upTo: 10) == [3, 4, 5, 6])
    }

    @Test func aBlockingReadTimesOutEmptyThenReportsEndOfStreamAfterTheLastSamples() {
        let ring = CaptureRing(capacityMilliseconds: 10, sampleRateHz: 1_000, counters: AudioCounters())
        #expect(ring.read(upTo: 4, waitingUpTo: 0.01) == [])
        ring.write([7, 8])
        ring.finish()
        #expect(ring.read(upTo: 4, waitingUpTo: 0.01) == [7, 8])
        #expect(ring.read(upTo: 4, waitingUpTo: 0.01) == nil)
        #expect(ring.isEndOfStream)
    }

    @Test func anAsyncConsumerWakesForSamplesWrittenLaterAndSeesTheEnd() async {
        let ring = CaptureRing(capacityMilliseconds: 10, sampleRateHz: 1_000, counters: AudioCounters())
        let producer = Thread {
            Thread.sleep(forTimeInterval: 0.05)
            ring.write([1, 2])
            Thread.sleep(forTimeInterval: 0.05)
            ring.write([3])
            ring.finish()
        }
        producer.start()
        var received: [Float] = []
        while let chunk = await ring.nextSamples(upTo: 10) { received.append(contentsOf: chunk) }
        #expect(received == [1, 2, 3])
    }
}
