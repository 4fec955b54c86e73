import Audio
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A press or a release of the push-to-talk key, and when it happened.
public struct KeyTransition: Sendable, Equatable {
    /// True for a press, false for a release.
    public var isPressed: Bool
    /// When the key moved (the input device's own timestamp when it is plausible).
    public var time: Date

    /// A transition as observed.
    public init(isPressed: Bool, time: Date) {
        self.isPressed = isPressed
        self.time = time
    }
}

/// Where the listening loop learns of the push-to-talk key: a big button for a noisy room, where always-on voice
/// detection hears too much.
public protocol PushToTalkInput: AnyObject {
    /// The transitions since the last call, oldest first. Called on the listening loop's thread.
    func takeTransitions() -> [KeyTransition]
}

/// A key of a Linux input device (`/dev/input/event*`, `/dev/input/by-id/...-event-kbd`): a USB keyboard, a
/// foot switch, an arcade button on a USB encoder.
///
/// A thread reads the device's `input_event` records and keeps the key's presses and releases (auto-repeat is
/// ignored). A device that cannot be opened, or that goes away, is reported and opened again with a backoff, as
/// a lost microphone is; the transitions stop meanwhile, so a held key counts as released.
public final class EvdevPushToTalk: PushToTalkInput, @unchecked Sendable {
    /// The device file.
    public let path: String
    /// The key code (`KEY_SPACE` is 57); nil takes any key.
    public let keyCode: UInt16?

    private let pending = Mutex<[KeyTransition]>([])
    private let stopped = Atomic<Bool>(false)
    private let opens = Atomic<Int>(0)
    private let backoff: ReopenBackoff
    private let logger = Logger(label: "pipeline.push-to-talk")
    private var thread: Thread?

    /// Linux's `EV_KEY` event type.
    static let keyEventType: UInt16 = 1

    /// Starts reading `path` for `key`.
    public init(path: String, key: PushToTalkKey = .any, backoff: ReopenBackoff = ReopenBackoff()) {
        self.path = path
        self.keyCode = key.code
        self.backoff = backoff
        let thread = Thread { [self] in readLoop() }
        thread.name = "push-to-talk"
        self.thread = thread
        thread.start()
    }

    deinit { stop() }

    /// Stops the reading thread (within a tenth of a second).
    public func stop() { stopped.store(true, ordering: .relaxed) }

    /// How many times the device was opened: more than one means it went away and came back.
    public var openCount: Int { opens.load(ordering: .relaxed) }

    public func takeTransitions() -> [KeyTransition] {
        pending.withLock { transitions in
            defer { transitions.removeAll() }
            return transitions
        }
    }

    private func readLoop() {
        var wait = backoff.initialSeconds
        var reportedFailure = false
        while !stopped.load(ordering: .relaxed) {
            let descriptor = open(path, O_RDONLY | O_NONBLOCK)
            guard descriptor >= 0 else {
                if !reportedFailure {
                    logger.error("push-to-talk key \(path): cannot open it (\(String(cString: strerror(errno)))); retrying")
                    reportedFailure = true
                }
                Thread.sleep(forTimeInterval: wait)
                wait = min(wait * 2, backoff.maximumSeconds)
                continue
            }
            opens.add(1, ordering: .relaxed)
            let lost = readEvents(descriptor) {
                // Events again: the device is back for good; the next loss starts the backoff afresh.
                if reportedFailure { logger.info("push-to-talk key \(path): working again") }
                reportedFailure = false
                wait = backoff.initialSeconds
            }
            close(descriptor)
            if lost && !stopped.load(ordering: .relaxed) {
                if !reportedFailure { logger.error("push-to-talk key \(path): the device went away; retrying") }
                reportedFailure = true
                Thread.sleep(forTimeInterval: wait)
                wait = min(wait * 2, backoff.maximumSeconds)
            }
        }
    }

    /// Reads until stopped (false) or the device is lost (true); `receiving` is called when records arrive.
    private func readEvents(_ descriptor: Int32, receiving: () -> Void) -> Bool {
        let recordSize = Self.recordSize
        var buffer = [UInt8](repeating: 0, count: recordSize * 64)
        var carried = 0  // bytes of a record split across reads
        while !stopped.load(ordering: .relaxed) {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 100)
            if ready < 0 && errno != EINTR { return true }
            if ready <= 0 { continue }
            let count = buffer.withUnsafeMutableBytes { bytes in
                read(descriptor, bytes.baseAddress! + carried, bytes.count - carried)
            }
            if count == 0 { return true }  // end of file: a pipe whose writer left, a device unplugged
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                return true
            }
            receiving()
            let available = carried + count
            let whole = available / recordSize * recordSize
            let transitions = Self.transitions(in: buffer[0..<whole], keyCode: keyCode, now: Date())
            if !transitions.isEmpty { pending.withLock { $0.append(contentsOf: transitions) } }
            buffer.replaceSubrange(0..<whole, with: [])
            buffer.append(contentsOf: repeatElement(0, count: whole))
            carried = available - whole
        }
        return false
    }

    /// Bytes in one `struct input_event`: a `timeval`, then type, code (16 bits each) and value (32 bits).
    static var recordSize: Int { MemoryLayout<timeval>.size + 8 }

    /// The key's presses and releases among whole `input_event` records. A record's timestamp is used when it is
    /// within two seconds of `now` (devices may stamp with another clock); auto-repeat (value 2) is skipped.
    static func transitions(in records: ArraySlice<UInt8>, keyCode: UInt16?, now: Date) -> [KeyTransition] {
        let size = recordSize
        let timeSize = MemoryLayout<timeval>.size
        var result: [KeyTransition] = []
        records.withUnsafeBytes { bytes in
            var offset = 0
            while offset + size <= bytes.count {
                let time = bytes.loadUnaligned(fromByteOffset: offset, as: timeval.self)
                let type = bytes.loadUnaligned(fromByteOffset: offset + timeSize, as: UInt16.self)
                let code = bytes.loadUnaligned(fromByteOffset: offset + timeSize + 2, as: UInt16.self)
                let value = bytes.loadUnaligned(fromByteOffset: offset + timeSize + 4, as: Int32.self)
                offset += size
                guard type == keyEventType, keyCode.map({ $0 == code }) ?? true, value == 0 || value == 1 else {
                    continue
                }
                let stamped = Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000)
                let when = abs(stamped.timeIntervalSince(now)) < 2 ? stamped : now
                result.append(KeyTransition(isPressed: value == 1, time: when))
            }
        }
        return result
    }

    /// The bytes of one key `input_event` record, as the kernel writes it (for tests and tools that feed a pipe).
    public static func record(keyCode: UInt16, pressed: Bool, at time: Date) -> [UInt8] {
        let seconds = time.timeIntervalSince1970.rounded(.down)
        var stamp = timeval()
        stamp.tv_sec = .init(seconds)
        stamp.tv_usec = .init(((time.timeIntervalSince1970 - seconds) * 1_000_000).rounded(.down))
        var bytes = withUnsafeBytes(of: stamp) { Array($0) }
        bytes += withUnsafeBytes(of: keyEventType.littleEndian) { Array($0) }
        bytes += withUnsafeBytes(of: keyCode.littleEndian) { Array($0) }
        bytes += withUnsafeBytes(of: Int32(pressed ? 1 : 0).littleEndian) { Array($0) }
        return bytes
    }
}

/// Which key of the input device talks.
public enum PushToTalkKey: Sendable, Equatable {
    /// Any key: a device with one button.
    case any
    /// One key by its Linux `KEY_*` code (`KEY_SPACE` is 57).
    case code(UInt16)

    /// From a name (`any`, `space`, `enter`) or a number; nil for anything else.
    public init?(name: String) {
        switch name.lowercased() {
        case "any": self = .any
        case "space": self = .code(57)
        case "enter", "return": self = .code(28)
        default:
            guard let code = UInt16(name) else { return nil }
            self = .code(code)
        }
    }

    /// The code to match, nil for any.
    public var code: UInt16? {
        if case .code(let code) = self { return code }
        return nil
    }
}
