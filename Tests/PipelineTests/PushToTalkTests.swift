import Foundation
import Testing

@testable import Pipeline

#if canImport(Glibc)
    import Glibc
#endif

/// The push-to-talk key read from a Linux input device; a named pipe stands in for /dev/input/event*.
@Suite struct EvdevPushToTalkTests {
    static func fifo() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("key-\(UUID().uuidString)").path
        try #require(mkfifo(path, 0o600) == 0, "mkfifo \(path)")
        return path
    }

    /// Opens the pipe for writing (the reader is waiting), writes `bytes` and closes it: the device goes away.
    static func plugIn(_ path: String, writing bytes: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY)
        try #require(descriptor >= 0, "open \(path) for writing")
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        #expect(written == bytes.count)
    }

    static func waitForTransitions(_ key: EvdevPushToTalk, count: Int) -> [KeyTransition] {
        var seen: [KeyTransition] = []
        let deadline = Date(timeIntervalSinceNow: 5)
        while seen.count < count && Date() < deadline {
            seen += key.takeTransitions()
            Thread.sleep(forTimeInterval: 0.01)
        }
        return seen
    }

    @Test func theKeysPressAndReleaseAreReadWithTheirTimesAndOtherKeysAndRepeatsAreNot() throws {
        let path = try Self.fifo()
        defer { unlink(path) }
        let key = EvdevPushToTalk(
            path: path, key: .code(57), backoff: .init(initialSeconds: 0.05, maximumSeconds: 0.1))
        defer { key.stop() }
        let pressed = Date(timeIntervalSinceNow: -0.5)
        let released = Date(timeIntervalSinceNow: -0.1)
        var repeated = EvdevPushToTalk.record(keyCode: 57, pressed: true, at: pressed.addingTimeInterval(0.2))
        repeated[repeated.count - 4] = 2  // value 2: auto-repeat while held
        let bytes =
            EvdevPushToTalk.record(keyCode: 57, pressed: true, at: pressed)
            + EvdevPushToTalk.record(keyCode: 30, pressed: true, at: pressed)  // another key: 'a'
            + repeated + EvdevPushToTalk.record(keyCode: 57, pressed: false, at: released)
        try Self.plugIn(path, writing: bytes)
        let seen = Self.waitForTransitions(key, count: 2)
        #expect(seen.map(\.isPressed) == [true, false])
        #expect(abs((seen.first?.time ?? .distantPast).timeIntervalSince(pressed)) < 0.001)
        #expect(abs((seen.last?.time ?? .distantPast).timeIntervalSince(released)) < 0.001)

        // The device went away (the writer closed) and comes back: the key is read again.
        try Self.plugIn(path, writing: EvdevPushToTalk.record(keyCode: 57, pressed: true, at: Date()))
        #expect(Self.waitForTransitions(key, count: 1).map(\.isPressed) == [true])
        #expect(key.openCount >= 2)
    }

    @Test func aRecordSplitAcrossReadsIsStillOneTransition() {
        let now = Date()
        let record = EvdevPushToTalk.record(keyCode: 28, pressed: true, at: now)
        #expect(record.count == EvdevPushToTalk.recordSize)
        #expect(EvdevPushToTalk.transitions(in: record[...], keyCode: nil, now: now).count == 1)
        #expect(EvdevPushToTalk.transitions(in: record.dropLast(), keyCode: nil, now: now).isEmpty)
        // A stamp from another clock (seconds since boot) is replaced by the time it was read.
        let boot = EvdevPushToTalk.record(keyCode: 28, pressed: false, at: Date(timeIntervalSince1970: 1_234))
        #expect(EvdevPushToTalk.transitions(in: boot[...], keyCode: 28, now: now).first?.time == now)
    }

    @Test func keyNamesAndCodes() {
        #expect(PushToTalkKey(name: "any") == .any)
        #expect(PushToTalkKey(name: "Space") == .code(57))
        #expect(PushToTalkKey(name: "28") == .code(28))
        #expect(PushToTalkKey(name: "pedal") == nil)
    }
}
