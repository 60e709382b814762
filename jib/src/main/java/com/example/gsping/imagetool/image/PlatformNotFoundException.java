package com.example.gsping.imagetool.image;

/** The image exists, but not for the platform asked for. */
public class PlatformNotFoundException extends ImageNotFoundException {
  private static final long serialVersionUID = 1L;

  public PlatformNotFoundException(String message) {
    super(message);
  }
}
