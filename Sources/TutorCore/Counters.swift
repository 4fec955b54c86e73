import Synchronization

/// Counters that the real-time audio path bumps instead of throwing: drops, overruns, underruns, recoveries.
///
/// Thread-safe: the capture thread increments while the pipeline reads.
public final class AudioCounters: Sendable {
    private let droppedFramesStorage = Atomic<Int>(0)
    private let overrunsStorage = Atomic<Int>(0)
    private let underrunsStorage = Atomic<Int>(0)
    private let suspendsStorage = Atomic<Int>(0)
    private let reopensStorage = Atomic<Int>(0)

    public init() {}

    /// Frames of live audio dropped because the consumer fell behind (oldest first).
    public var droppedFrames: Int { droppedFramesStorage.load(ordering: .relaxed) }
    /// Capture overruns (-EPIPE on read) recovered.
    public var overruns: Int { overrunsStorage.load(ordering: .relaxed) }
    /// Playback underruns (-EPIPE on write) recovered.
    public var underruns: Int { underrunsStorage.load(ordering: .relaxed) }
    /// Suspends (-ESTRPIPE) recovered.
    public var suspends: Int { suspendsStorage.load(ordering: .relaxed) }
    /// Times the device was lost and opened again.
    public var reopens: Int { reopensStorage.load(ordering: .relaxed) }

    public func addDroppedFrames(_ count: Int) { droppedFramesStorage.add(count, ordering: .relaxed) }
    public func addOverrun() { overrunsStorage.add(1, ordering: .relaxed) }
    public func addUnderrun() { underrunsStorage.add(1, ordering: .relaxed) }
    public func addSuspend() { suspendsStorage.add(1, ordering: .relaxed) }
    public func addReopen() { reopensStorage.add(1, ordering: .relaxed) }

    /// xruns of either direction, as ALSA tools report them.
    public var xruns: Int { overruns + underruns }
}
