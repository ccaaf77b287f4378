model // show the summary
