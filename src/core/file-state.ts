export type FileType = 'file' | 'directory' | 'link' | 'other';

export type FileState =
  | { exists: false; path: string }
  | {
      exists: true;
      path: string;
      type: FileType;
      /** Octal, four digits: '0644'. */
      mode: string;
      owner: string;
      group: string;
      size: number;
      linkTarget?: string;
      sha256?: string;
      content?: Buffer;
    };
