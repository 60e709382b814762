package com.example.gsping.imagetool.image;

import com.example.gsping.imagetool.ImageToolException;

/** The image, tag or repository asked for does not exist where it was looked for. */
public class ImageNotFoundException extends ImageToolException {
  private static final long serialVersionUID = 1L;

  public ImageNotFoundException(String message) {
    super(message);
  }
}
