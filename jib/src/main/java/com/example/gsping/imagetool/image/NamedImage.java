package com.example.gsping.imagetool.image;

/** One name to list: its repository and tag as shown, the reader of its repository and what to ask it for. */
public record NamedImage(String repository, String tag, ImageReader reader, String reference) {}
