package com.example.gsping.imagetool.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Sizes and ages printed exactly as the docker CLI prints them, i.e. as its Go library
 * github.com/docker/go-units does: {@code HumanSizeWithPrecision(size, 3)} (decimal units,
 * Go's {@code %.3g}) and {@code HumanDuration}. Java's {@code %g} differs from Go's (it keeps
 * trailing zeros: "12.0" vs "12"), hence {@link #goG}.
 */
public final class DockerUnits {
  private static final String[] DECIMAL_UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};

  private DockerUnits() {}

  /** go-units HumanSizeWithPrecision(size, 3): 0B, 999B, 1.03kB, 12.3MB, 246MB, 1e+03kB. */
  public static String humanSize(long bytes) {
    double size = bytes;
    int unit = 0;
    while (size >= 1000.0 && unit < DECIMAL_UNITS.length - 1) {
      size = size / 1000.0;
      unit++;
    }
    return goG(size, 3) + DECIMAL_UNITS[unit];
  }

  /** Go's {@code fmt.Sprintf("%.*g", precision, value)} for finite non-negative values. */
  static String goG(double value, int precision) {
    if (value == 0) {
      return "0";
    }
    // Round the exact binary value to `precision` significant digits (half-even, as strconv).
    BigDecimal rounded = new BigDecimal(value).round(new MathContext(precision, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    String digits = rounded.unscaledValue().abs().toString(); // significant digits, no trailing zeros
    int nd = digits.length();
    int dp = nd - rounded.scale(); // decimal point position relative to the digits
    int eprec = precision;
    if (eprec > nd && nd >= dp) {
      eprec = nd;
    }
    int exp = dp - 1;
    if (exp < -4 || exp >= eprec) {
      int prec = Math.min(precision, nd);
      StringBuilder s = new StringBuilder().append(digits.charAt(0));
      if (prec > 1) {
        s.append('.').append(digits, 1, prec);
      }
      s.append('e').append(exp < 0 ? '-' : '+');
      int e = Math.abs(exp);
      s.append(e < 10 ? "0" + e : Integer.toString(e));
      return s.toString();
    }
    int prec = precision > dp ? nd : precision;
    int decimals = Math.max(prec - dp, 0);
    return rounded.setScale(decimals, RoundingMode.UNNECESSARY).toPlainString();
  }

  /** go-units HumanDuration: "Less than a second", "About a minute", "3 weeks", "55 years". */
  public static String humanDuration(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < 1) {
      return "Less than a second";
    } else if (seconds == 1) {
      return "1 second";
    } else if (seconds < 60) {
      return seconds + " seconds";
    }
    long minutes = seconds / 60;
    if (minutes == 1) {
      return "About a minute";
    } else if (minutes < 60) {
      return minutes + " minutes";
    }
    long hours = Math.round(d.toMillis() / 3_600_000.0);
    if (hours == 1) {
      return "About an hour";
    } else if (hours < 48) {
      return hours + " hours";
    } else if (hours < 24 * 7 * 2) {
      return hours / 24 + " days";
    } else if (hours < 24 * 30 * 2) {
      return hours / 24 / 7 + " weeks";
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 / 30 + " months";
    }
    return seconds / 3600 / 24 / 365 + " years";
  }
}
