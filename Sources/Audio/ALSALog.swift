import CALSA
import Foundation
import Logging

/// Routes ALSA's own diagnostics into swift-log instead of raw stderr.
///
/// ALSA prints through a variadic global handler that Swift cannot implement, but `snd_lib_error_set_local`
/// takes a `va_list` handler per thread. Every thread that calls ALSA installs it first; the handler has no
/// context pointer, so it logs to a module-wide logger.
enum ALSALog {
    /// The logger ALSA's messages and our device notices go to.
    static let logger = Logger(label: "voicetutor.audio.alsa")

    /// Installs the capturing handler on the calling thread. Cheap; safe to call again.
    static func captureMessagesOnThisThread() {
        _ = snd_lib_error_set_local(alsaMessageHandler)
    }
}

/// Formats one ALSA message and logs it at debug level: ALSA reports the same failure we turn into an error that
/// names the device, so its chatter is detail, not news.
private let alsaMessageHandler: snd_local_error_handler_t = { file, line, function, errorCode, format, arguments in
    guard let format, let arguments else { return }
    var buffer = [CChar](repeating: 0, count: 512)
    _ = buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, format, arguments) }
    let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let function = function.map { String(cString: $0) } ?? "?"
    let source = file.map { String(cString: $0) } ?? "?"
    var metadata: Logger.Metadata = ["alsa": "\(source):\(line) \(function)"]
    if errorCode != 0 { metadata["reason"] = "\(alsaReason(errorCode < 0 ? errorCode : -errorCode))" }
    ALSALog.logger.debug("ALSA: \(message)", metadata: metadata)
    ALSALog.remember(message)
}

extension ALSALog {
    private static let recentMessages = RecentMessages()

    /// The last ALSA messages seen on any thread, newest last (at most 32): for diagnostics and tests.
    static var recent: [String] { recentMessages.snapshot() }

    fileprivate static func remember(_ message: String) { recentMessages.append(message) }
}

/// A small lock-protected list; ALSA messages are rare, so a lock costs nothing here.
private final class RecentMessages: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []

    func append(_ message: String) {
        lock.lock()
        defer { lock.unlock() }
        messages.append(message)
        if messages.count > 32 { messages.removeFirst(messages.count - 32) }
    }

    func snapshot() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return messages
    }
}
