import Foundation
import Testing

@testable import Pipeline

@Suite struct BoundedQueueTests {
    @Test func aFullQueueHoldsTheProducerUntilTheConsumerTakesAnItem() throws {
        let queue = BoundedQueue<Int>(capacity: 2)
        #expect(queue.push(1) && queue.push(2))
        let pushedThird = DispatchSemaphore(value: 0)
        let producer = Thread {
            queue.push(3)
            pushedThird.signal()
        }
        producer.start()
        let waitedWhileFull = pushedThird.wait(timeout: .now() + 0.2) == .timedOut
        #expect(waitedWhileFull, "the producer must wait: sentences are never dropped")
        #expect(queue.pop(waitingUpTo: 1) == 1)
        let pushedOnceRoomWasMade = pushedThird.wait(timeout: .now() + 2) == .success
        #expect(pushedOnceRoomWasMade)
        #expect(queue.pop(waitingUpTo: 1) == 2)
        #expect(queue.pop(waitingUpTo: 1) == 3)
    }

    @Test func flushDropsOnlyTheSelectedItemsInOrder() {
        let queue = BoundedQueue<Int>(capacity: 8)
        for item in 1...6 { queue.push(item) }
        let dropped = queue.flush { $0.isMultiple(of: 2) }
        #expect(dropped == [2, 4, 6])
        #expect(queue.pop(waitingUpTo: 0) == 1)
        #expect(queue.pop(waitingUpTo: 0) == 3)
        #expect(queue.count == 1)
    }

    @Test func aClosedQueueRefusesNewItemsAndDrainsTheRest() {
        let queue = BoundedQueue<String>(capacity: 1)
        queue.push("last sentence")
        queue.close()
        #expect(!queue.push("after close"))
        #expect(queue.pop(waitingUpTo: 0) == "last sentence")
        #expect(queue.pop(waitingUpTo: 0.05) == nil)
        #expect(queue.isClosedAndEmpty)
    }
}
