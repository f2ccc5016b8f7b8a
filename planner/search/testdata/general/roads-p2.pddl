; The same problem without a metric: every action costs 1, so the optimum
; is 2 steps (teleport a d, or drive a d, and rest).
(define (problem roads-p2) (:domain roads)
  (:objects a b c d - city)
  (:init (at a) (road a b) (road b c) (road a c) (road c d) (road a d)
         (= (dist a b) 2) (= (dist b c) 3) (= (dist a c) 9) (= (dist c d) 4)
         (= (dist a d) 20))
  (:goal (and (visited d) (rested))))
