package com.example.gsping.imagetool.image;

import com.example.gsping.imagetool.ImageToolException;

/** Image data that is not what it claims to be: bad JSON, wrong digest, missing parts. */
public class ImageFormatException extends ImageToolException {
  private static final long serialVersionUID = 1L;

  public ImageFormatException(String message) {
    super(message);
  }
}
