package com.example.gsping.imagetool;

/**
 * A failure the user can act on. Its message is the one line printed on stderr after
 * {@code imagetool: }, so it names the cause (which registry, which image, which file).
 */
public class ImageToolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ImageToolException(String message) {
    super(message);
  }

  public ImageToolException(String message, Throwable cause) {
    super(message, cause);
  }
}
