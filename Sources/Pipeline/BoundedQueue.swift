import Foundation

/// A bounded first-in first-out hand-off between two threads whose producer waits when it is full.
///
/// For text and answer sentences, which must never be dropped: a fast writer is held back (backpressure) instead of
/// losing a sentence. `flush` is the one way items disappear: barge-in throws away what is no longer wanted.
/// Thread safety: any number of producers and consumers; `flush` and `close` from any thread.
public final class BoundedQueue<Element>: @unchecked Sendable {
    /// Items the queue holds at most before `push` waits.
    public let capacity: Int

    private let condition = NSCondition()
    private var items: [Element] = []
    private var closed = false

    /// A queue of at most `capacity` items (at least one).
    public init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Items waiting.
    public var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return items.count
    }

    /// Appends `item`, waiting while the queue is full; false (the item is not queued) once the queue is closed.
    @discardableResult
    public func push(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !closed && items.count >= capacity { condition.wait() }
        guard !closed else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Takes the oldest item, waiting up to `timeoutSeconds`; nil on timeout or when closed and empty.
    public func pop(waitingUpTo timeoutSeconds: Double) -> Element? {
        let deadline = Date(timeIntervalSinceNow: timeoutSeconds)
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed {
            if !condition.wait(until: deadline) { break }
        }
        guard !items.isEmpty else { return nil }
        condition.broadcast()  // room for a waiting producer
        return items.removeFirst()
    }

    /// Removes every item that `shouldDrop` selects and returns them; waiting producers get room.
    @discardableResult
    public func flush(where shouldDrop: (Element) -> Bool = { _ in true }) -> [Element] {
        condition.lock()
        defer { condition.unlock() }
        let dropped = items.filter(shouldDrop)
        items.removeAll(where: shouldDrop)
        condition.broadcast()
        return dropped
    }

    /// Wakes every waiter; later pushes fail and pops return what is left, then nil.
    public func close() {
        condition.lock()
        closed = true
        condition.unlock()
        condition.broadcast()
    }

    /// True once `close` was called and every item was taken.
    public var isClosedAndEmpty: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed && items.isEmpty
    }
}
