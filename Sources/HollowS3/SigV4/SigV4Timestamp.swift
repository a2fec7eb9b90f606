import Foundation

/// The time a request is signed at, in the two forms SigV4 uses: `20150830T123600Z` (the
/// `x-amz-date` header) and `20150830` (the credential scope). Always UTC.
package struct SigV4Timestamp: Sendable, Hashable {
    /// `yyyyMMdd'T'HHmmss'Z'`.
    package let amzDate: String

    /// The date part, `yyyyMMdd`.
    package var day: Substring { amzDate.prefix(8) }

    package init(secondsSince1970 seconds: Int64) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = Self.civil(fromDays: days)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(year)
        amzDate = String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + two(month) + two(day) + "T"
            + two(secondOfDay / 3600) + two(secondOfDay / 60 % 60) + two(secondOfDay % 60) + "Z"
    }

    package init(_ date: Date) {
        self.init(secondsSince1970: Int64(date.timeIntervalSince1970.rounded(.down)))
    }

    /// Now, by the system's clock (S3 refuses a request more than 15 minutes off its own).
    package static func now() -> SigV4Timestamp { SigV4Timestamp(Date()) }

    /// Year, month and day of a count of days since 1970-01-01 (Howard Hinnant's algorithm: no
    /// calendar object, no locale, no time zone).
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
