import CALSA

/// Which way audio flows through a PCM.
public enum PCMDirection: String, Sendable, Equatable {
    /// From a microphone.
    case capture
    /// To a speaker.
    case playback

    var alsaStream: snd_pcm_stream_t { self == .capture ? SND_PCM_STREAM_CAPTURE : SND_PCM_STREAM_PLAYBACK }
}

/// ALSA's human-readable reason for a negative error code, as `snd_strerror` gives it.
func alsaReason(_ code: Int32) -> String {
    guard let text = snd_strerror(code) else { return "unknown error" }
    return String(cString: text)
}

/// A failure to open or set up an ALSA PCM. Every case names the device and carries ALSA's error code.
public enum ALSAError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `snd_pcm_open` failed: the device is missing, busy or unknown.
    case cannotOpen(device: String, direction: PCMDirection, code: Int32)
    /// An in-memory PCM configuration could not be parsed.
    case badConfiguration(device: String, direction: PCMDirection, code: Int32)
    /// The device offers nothing usable for a hardware parameter (format, rate, channels, access, period).
    case cannotConfigure(device: String, direction: PCMDirection, parameter: String, expected: String, code: Int32)

    /// The ALSA error code (negative errno).
    public var code: Int32 {
        switch self {
        case .cannotOpen(_, _, let code), .badConfiguration(_, _, let code), .cannotConfigure(_, _, _, _, let code):
            return code
        }
    }

    /// "ALSA capture device 'default': cannot open: No such file or directory (-2)".
    public var description: String {
        switch self {
        case .cannotOpen(let device, let direction, let code):
            return "ALSA \(direction.rawValue) device '\(device)': cannot open: \(alsaReason(code)) (\(code))"
        case .badConfiguration(let device, let direction, let code):
            return "ALSA \(direction.rawValue) device '\(device)': cannot parse its configuration: "
                + "\(alsaReason(code)) (\(code))"
        case .cannotConfigure(let device, let direction, let parameter, let expected, let code):
            return "ALSA \(direction.rawValue) device '\(device)': cannot set \(parameter) (wanted \(expected)): "
                + "\(alsaReason(code)) (\(code))"
        }
    }
}
