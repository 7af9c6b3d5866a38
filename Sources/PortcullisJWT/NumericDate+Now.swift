import Foundation
public import PortcullisJOSE

extension NumericDate {
    /// The current time from the system clock.
    public static var now: NumericDate { NumericDate(Date().timeIntervalSince1970) }
}
